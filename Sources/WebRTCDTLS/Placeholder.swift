import WebRTCCore
