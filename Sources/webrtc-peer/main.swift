print("webrtc-peer: not yet")
