import WebRTC
