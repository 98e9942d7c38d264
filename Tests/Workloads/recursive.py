# Recurses 30 Python frames deep, then burns CPU; forever. The interpreter's own C stack is what is unwound.
def spin(n):
    x = 0
    for i in range(n):
        x = (x * 31 + i) % 1000003
    return x


def recurse(depth):
    return spin(20000) if depth == 0 else recurse(depth - 1) + 1


while True:
    recurse(30)
