// A Swift function, so its symbol is Swift-mangled.
@inline(never) func spinSwift(_ rounds: Int) -> Int {
    var x = 0
    var i = 0
    while i < rounds {
        x = x &* 31 &+ i
        i &+= 1
    }
    return x
}

var total = 0
while true { total &+= spinSwift(1_000_000) }
