print("webrtc-demo: not yet")
