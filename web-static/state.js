// The whole view as URL query parameters, so a reloaded or shared URL shows the same thing.

/** The state of a fresh page. */
export const defaults = Object.freeze({
    from: "-1h",
    to: "now",
    selector: "",
    search: "",
    regex: false,
    mode: "icicle",
    zoom: [],
    diff: false,
    baseFrom: "-2h",
    baseTo: "-1h",
    baseSelector: "",
    /** Nodes the server may keep (its default when empty). */
    maxNodes: "",
});

// Query parameter name of each state field (the API's own names where the API has one).
const keys = {
    from: "from", to: "to", selector: "selector", search: "search", regex: "regex", mode: "mode", zoom: "zoom",
    diff: "diff", baseFrom: "base_from", baseTo: "base_to", baseSelector: "base_selector", maxNodes: "max_nodes",
};

/** The state in `search` (a location's query string); unknown or malformed values fall back to the defaults. */
export function readState(search) {
    const params = new URLSearchParams(search);
    const state = { ...defaults, zoom: [] };
    for (const field of ["from", "to", "selector", "search", "baseFrom", "baseTo", "baseSelector", "maxNodes"]) {
        if (params.has(keys[field])) state[field] = params.get(keys[field]);
    }
    state.regex = params.get(keys.regex) === "1";
    state.mode = params.get(keys.mode) === "flame" ? "flame" : "icicle";
    state.zoom = params.getAll(keys.zoom);
    state.diff = params.get(keys.diff) === "1";
    return state;
}

/** The query string of `state`: only fields that differ from the defaults, base fields only in diff mode. */
export function writeState(state) {
    const params = new URLSearchParams();
    for (const field of ["from", "to", "selector", "search", "maxNodes"]) {
        if (state[field] !== defaults[field]) params.set(keys[field], state[field]);
    }
    if (state.regex) params.set(keys.regex, "1");
    if (state.mode !== defaults.mode) params.set(keys.mode, state.mode);
    if (state.diff) {
        params.set(keys.diff, "1");
        params.set(keys.baseFrom, state.baseFrom);
        params.set(keys.baseTo, state.baseTo);
        if (state.baseSelector) params.set(keys.baseSelector, state.baseSelector);
    }
    for (const name of state.zoom) params.append(keys.zoom, name);
    const text = params.toString();
    return text ? `?${text}` : "";
}
