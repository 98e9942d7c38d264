// Frame colours from one small palette, so the flame graph sets each colour once per frame and fills all boxes of
// that colour in one path: a warm tone per function name (stable across reloads; unsymbolized addresses bluish),
// grey for frames a search did not match, and red/green by the change of a frame's share in diff mode.

/** Every colour a box can have; boxes refer to them by index. */
export const palette = [];

function add(color) {
    palette.push(color);
    return palette.length - 1;
}

const warm = [];
for (let k = 0; k < 24; k++) {
    const hue = (k * 7) % 50;
    const saturation = 70 + ((k * 5) % 20);
    const lightness = 58 + ((k * 3) % 14);
    warm.push(add(`hsl(${hue}, ${saturation}%, ${lightness}%)`));
}
const cool = [add("hsl(200, 25%, 72%)"), add("hsl(210, 25%, 76%)"), add("hsl(195, 25%, 78%)")];
export const rootColor = add("hsl(220, 12%, 70%)");
export const matchedColor = add("hsl(290, 85%, 62%)");
export const unmatchedColor = add("hsl(0, 0%, 85%)");
export const ancestorColor = add("hsl(220, 10%, 82%)");
const diffLevels = 10;
const unchanged = add("hsl(0, 0%, 90%)");
const grew = [];
const shrank = [];
for (let level = 1; level <= diffLevels; level++) {
    const strength = level / diffLevels;
    grew.push(add(`hsl(0, ${35 + 45 * strength}%, ${88 - 30 * strength}%)`));
    shrank.push(add(`hsl(130, ${30 + 30 * strength}%, ${88 - 36 * strength}%)`));
}
/** Colours whose labels are drawn in grey rather than black. */
export const mutedColors = new Set([unmatchedColor, ancestorColor]);

function hash(text) {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h >>> 0;
}

const address = /^0x[0-9a-f]+$|\+0x[0-9a-f]+$/;

/** The palette index for a frame named `name`. */
export function frameColor(name) {
    if (name === "root") return rootColor;
    const h = hash(name);
    return address.test(name) ? cool[h % cool.length] : warm[h % warm.length];
}

/**
 * The palette index in diff mode: red when the frame's share of all samples grew against the base, green when it
 * shrank, grey when it stayed; saturated at a change of `fullScale` percentage points.
 */
export function diffColor(share, baseShare, fullScale = 5) {
    const points = (share - baseShare) * 100;
    const level = Math.min(diffLevels, Math.round((Math.abs(points) / fullScale) * diffLevels));
    if (level === 0) return unchanged;
    return (points > 0 ? grew : shrank)[level - 1];
}
