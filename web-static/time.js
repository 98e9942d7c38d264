// The time forms of `from`/`to` (as `scorch query` accepts them), resolved in the browser only to lay out the
// timeline and choose a step; the server resolves them itself and reports any that it rejects.

const unitMs = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, y: 365 * 86400e3 };

/** Milliseconds since the epoch for `text` (`now`, `-1h30m`, `now-30m`, RFC 3339, Unix seconds), or null. */
export function resolveTime(text, now = Date.now()) {
    const trimmed = String(text ?? "").trim();
    if (trimmed === "" || trimmed === "now") return now;
    const relative = /^(?:now\s*)?([+-])\s*((?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w|y))+)$/.exec(trimmed);
    if (relative) {
        let total = 0;
        for (const [, amount, unit] of relative[2].matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) {
            total += Number(amount) * unitMs[unit];
        }
        return relative[1] === "-" ? now - total : now + total;
    }
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
    if (/^\d{4}-/.test(trimmed)) {
        const parsed = Date.parse(trimmed);
        return Number.isNaN(parsed) ? null : parsed;
    }
    return null;
}

/** RFC 3339 in UTC with milliseconds, the form a selected range is written back as. */
export function rfc3339(ms) {
    return new Date(Math.round(ms)).toISOString();
}

/** A step (in whole seconds, as `10s`) that gives about `points` points over `spanMs`. */
export function stepFor(spanMs, points = 150) {
    const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
    const wanted = spanMs / 1000 / points;
    const seconds = nice.find((s) => s >= wanted) ?? Math.ceil(wanted / 86400) * 86400;
    return `${seconds}s`;
}
