// The chain of chain.c in Swift, built with `swiftc -O` (which omits frame pointers).
@inline(never) func level5(_ n: Int) -> Int {
    var x = 0
    var i = 0
    while i < n {
        x = x &* 31 &+ i
        i &+= 1
    }
    return x
}
@inline(never) func level4(_ n: Int) -> Int { level5(n) &+ 1 }
@inline(never) func level3(_ n: Int) -> Int { level4(n) &* 3 }
@inline(never) func level2(_ n: Int) -> Int { level3(n) &+ 5 }
@inline(never) func level1(_ n: Int) -> Int { level2(n) &* 7 }

var total = 0
let rounds = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 2_000_000
var round = 0
while true {
    // A varying argument and a read of the result keep the optimizer from hoisting or dropping the pure calls.
    total &+= level1(rounds &+ (round & 1))
    round &+= 1
    if total == 42 { print(total) }
}
