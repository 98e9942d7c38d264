// Formatting of sample values, shares and times for people.

const durationUnits = [
    [86400e9, "d"], [3600e9, "h"], [60e9, "min"], [1e9, "s"], [1e6, "ms"], [1e3, "µs"], [1, "ns"],
];
const byteUnits = [[2 ** 40, "TiB"], [2 ** 30, "GiB"], [2 ** 20, "MiB"], [2 ** 10, "KiB"], [1, "B"]];

/** A value in `unit` (pprof's sample unit: nanoseconds, bytes, count, …) with three significant digits. */
export function formatValue(value, unit) {
    const magnitude = Math.abs(value);
    const scale = unit === "nanoseconds" ? durationUnits : unit === "bytes" ? byteUnits : null;
    if (scale) {
        for (const [size, suffix] of scale) {
            if (magnitude >= size || size === 1) return `${trim(value / size)} ${suffix}`;
        }
    }
    if (magnitude >= 1e9) return `${trim(value / 1e9)} G`;
    if (magnitude >= 1e6) return `${trim(value / 1e6)} M`;
    if (magnitude >= 1e4) return `${trim(value / 1e3)} k`;
    return String(value);
}

function trim(number) {
    return Number(number.toPrecision(3)).toString();
}

/** `part` as a percentage of `whole`, with a precision that keeps small shares visible. */
export function formatPercent(part, whole) {
    if (!whole) return "0%";
    const percent = (part * 100) / whole;
    const magnitude = Math.abs(percent);
    const digits = magnitude >= 10 || magnitude === 0 ? 1 : magnitude >= 0.1 ? 2 : 3;
    return `${percent.toFixed(digits)}%`;
}

/** A signed change in percentage points. */
export function formatPoints(points) {
    const sign = points > 0 ? "+" : points < 0 ? "−" : "±";
    return `${sign}${Math.abs(points).toFixed(2)} pp`;
}

/**
 * Milliseconds since the epoch as a short local time, with the date when `withDate` is true and the day is not
 * today.
 */
export function formatTime(ms, withSeconds = true, withDate = true) {
    const date = new Date(ms);
    const time = date.toLocaleTimeString([], {
        hour: "2-digit", minute: "2-digit", second: withSeconds ? "2-digit" : undefined, hour12: false,
    });
    if (!withDate || date.toDateString() === new Date().toDateString()) return time;
    return `${date.toLocaleDateString([], { month: "short", day: "numeric" })} ${time}`;
}
