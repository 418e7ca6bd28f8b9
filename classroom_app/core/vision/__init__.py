"""Camera sources and the vision processing behind the demos (OpenCV, no Qt)."""
