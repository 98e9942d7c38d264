// Frame colours: a warm hue per function name (stable across reloads), grey for frames a search did not match,
// and red/green by the change of a frame's share of all samples in diff mode.

function hash(text) {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h >>> 0;
}

const cache = new Map();

/** A warm colour for the frame name `name` (kernel frames and unsymbolized addresses in their own tones). */
export function frameColor(name) {
    let color = cache.get(name);
    if (color) return color;
    const h = hash(name);
    if (name === "root") color = "hsl(220, 12%, 70%)";
    else if (/^0x[0-9a-f]+$|\+0x[0-9a-f]+$/.test(name)) color = `hsl(${200 + (h % 20)}, 25%, ${70 + (h >> 8) % 10}%)`;
    else if (name.startsWith("[k] ") || name.endsWith("_[k]")) color = `hsl(${30 + (h % 15)}, 70%, ${68 + (h >> 8) % 10}%)`;
    else color = `hsl(${(h % 50) + 0}, ${70 + (h >> 8) % 20}%, ${58 + (h >> 16) % 14}%)`;
    cache.set(name, color);
    if (cache.size > 50000) cache.clear();
    return color;
}

export const matchedColor = "hsl(290, 85%, 62%)";
export const unmatchedColor = "hsl(0, 0%, 85%)";
export const ancestorColor = "hsl(220, 10%, 82%)";

/**
 * Diff colour: red when the frame's share of all samples grew against the base, green when it shrank, white-grey
 * when it stayed; saturated at a change of `fullScale` percentage points.
 */
export function diffColor(share, baseShare, fullScale = 5) {
    const points = (share - baseShare) * 100;
    const strength = Math.min(1, Math.abs(points) / fullScale);
    if (strength < 0.02) return "hsl(0, 0%, 90%)";
    const hue = points > 0 ? 0 : 120;
    return `hsl(${hue}, ${35 + 50 * strength}%, ${88 - 38 * strength}%)`;
}
