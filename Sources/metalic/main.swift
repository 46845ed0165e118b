print("metalic")
