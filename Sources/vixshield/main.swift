print("vixshield")
