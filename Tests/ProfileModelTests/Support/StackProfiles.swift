import ProfileModel

/// Small CPU profiles written as folded stacks, for tests with known answers.
enum StackProfiles {
    /// A profile with `samples/count` and `cpu/nanoseconds` columns at `Fixtures.period`, one sample per entry of
    /// `stacks` (`"main;work;hot_a": 750` is 750 samples whose leaf is `hot_a`).
    static func cpu(
        _ stacks: KeyValuePairs<String, Int64>, period: Int64 = Fixtures.period,
        sampleTypes: [ValueType] = Fixtures.samplesAndCPU, periodType: ValueType? = Fixtures.cpuPeriod
    ) -> Profile {
        var builder = ProfileBuilder(
            sampleTypes: sampleTypes, periodType: periodType, period: period, timeNanos: 1_700_000_000_000_000_000,
            durationNanos: 1_000_000_000)
        for (stack, count) in stacks {
            let ids = stack.split(separator: ";").reversed().map { name in
                let function = builder.function(name: String(name), systemName: String(name), filename: "app.c")
                return builder.location(mappingID: 0, address: 0, lines: [Line(functionID: function, line: 1)])
            }
            let values = sampleTypes.map { $0.unit == "count" ? count : count * period }
            builder.addSample(locationIDs: ids, values: values, labels: [.string("comm", "app")])
        }
        return builder.build()
    }

    /// `main;work;hot_a` and `main;work;hot_b` with the given sample counts.
    static func split(_ a: Int64, _ b: Int64) -> Profile {
        cpu(["main;work;hot_a": a, "main;work;hot_b": b])
    }
}
