"""The presidium hall kiosk: the chair's console, the big screen, the seat face and the virtual seat panel."""
