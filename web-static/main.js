// The page: reads the view from the URL, loads the flame graph, top table and timeline for it, and writes every
// change back to the URL. `window.scorch` is a read-only hook for tests and debugging.

import { ApiError, getJSON, setToken } from "./api.js";
import { FlameModel } from "./flamemodel.js";
import { FlameGraphView } from "./flamegraph.js";
import { formatPercent, formatValue } from "./format.js";
import { SelectorInput } from "./selector.js";
import { defaults, readState, writeState } from "./state.js";
import { resolveTime, rfc3339, stepFor } from "./time.js";
import { TimelineView } from "./timeline.js";
import { TopTable } from "./top.js";

const $ = (id) => document.getElementById(id);
const perfMarks = [
    "scorch:load-start", "scorch:flamegraph-json", "scorch:flame-model", "scorch:flame-drawn", "scorch:flame-painted",
    "scorch:flame-complete",
];

let state = readState(location.search);
let model = null;
/** The data-affecting part of the state that `model` and the other views were loaded for. */
let loadedKey = null;
let inFlight = null;

const flame = new FlameGraphView($("flame-scroll"), $("tooltip"), (node) => zoomTo(node, true));
const timeline = new TimelineView($("timeline"), selectRange);
const topTable = new TopTable($("top"), (name) => {
    state.search = `^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
    state.regex = true;
    fillForm();
    applySearch();
    saveState(false);
});
const selectors = [
    new SelectorInput($("selector"), $("selector-suggestions"), (error) => showError("Labels", error), () => ({
        from: $("from").value.trim() || defaults.from, to: $("to").value.trim() || defaults.to,
    })),
    new SelectorInput($("base-selector"), $("base-suggestions"), (error) => showError("Labels", error), () => ({
        from: $("base-from").value.trim() || defaults.baseFrom, to: $("base-to").value.trim() || defaults.baseTo,
    })),
];

// ---- state <-> form and URL

function fillForm() {
    $("from").value = state.from;
    $("to").value = state.to;
    $("selector").value = state.selector;
    $("diff").checked = state.diff;
    $("base").hidden = !state.diff;
    $("base-from").value = state.baseFrom;
    $("base-to").value = state.baseTo;
    $("base-selector").value = state.baseSelector;
    $("search").value = state.search;
    $("regex").checked = state.regex;
    $("mode-icicle").setAttribute("aria-pressed", String(state.mode === "icicle"));
    $("mode-flame").setAttribute("aria-pressed", String(state.mode === "flame"));
}

function readForm() {
    state.from = $("from").value.trim() || defaults.from;
    state.to = $("to").value.trim() || defaults.to;
    state.selector = $("selector").value.trim();
    state.diff = $("diff").checked;
    state.baseFrom = $("base-from").value.trim() || defaults.baseFrom;
    state.baseTo = $("base-to").value.trim() || defaults.baseTo;
    state.baseSelector = $("base-selector").value.trim();
}

/** Writes the state to the URL: a new history entry when `push` (Back returns to the previous view). */
function saveState(push) {
    const url = `${location.pathname}${writeState(state)}`;
    if (url === `${location.pathname}${location.search}`) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
}

function dataKey() {
    const { from, to, selector, diff, baseFrom, baseTo, baseSelector, maxNodes } = state;
    const key = [from, to, selector, maxNodes];
    return JSON.stringify(diff ? [...key, baseFrom, baseTo, baseSelector] : key);
}

// ---- errors and status

/** The form field of each query parameter the server may name in an error. */
const parameterFields = {
    from: "from", to: "to", selector: "selector", base_from: "base-from", base_to: "base-to",
    base_selector: "base-selector",
};

function clearErrors() {
    $("errors").replaceChildren();
    for (const id of Object.values(parameterFields)) {
        $(id).classList.remove("invalid");
        $(id).removeAttribute("aria-invalid");
    }
}

/** Shows `error` to the user under `where` (never swallowed; aborted requests are not errors). */
function showError(where, error) {
    if (error?.name === "AbortError") return;
    const line = document.createElement("div");
    line.className = "error";
    const status = error instanceof ApiError && error.status ? ` (HTTP ${error.status})` : "";
    line.textContent = `${where}${status}: ${error?.message ?? error}`;
    // Messages above the token field, if one is shown.
    $("errors").insertBefore(line, $("token-form"));
    const field = parameterFields[error?.parameter];
    if (field) {
        $(field).classList.add("invalid");
        $(field).setAttribute("aria-invalid", "true");
    }
    console.warn(`${where}: ${error?.message ?? error}`);
    if (error instanceof ApiError && error.status === 401) askForToken();
}

/** Offers a field for the server's bearer token (once per error bar). */
function askForToken() {
    if ($("token-form")) return;
    const form = document.createElement("form");
    form.id = "token-form";
    const label = document.createElement("label");
    label.textContent = "This server needs its API token (--auth-token): ";
    const input = document.createElement("input");
    input.type = "password";
    input.id = "token";
    input.autocomplete = "off";
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = "Use token";
    label.append(input);
    form.append(label, " ", button);
    form.addEventListener("submit", (event) => {
        event.preventDefault();
        setToken(input.value.trim());
        load();
    });
    $("errors").append(form);
    input.focus();
}

function setStatus(status) {
    document.body.dataset.status = status;
}

// ---- loading

async function load() {
    inFlight?.abort();
    const controller = (inFlight = new AbortController());
    const signal = controller.signal;
    clearErrors();
    setStatus("loading");
    $("loading").hidden = false;
    for (const name of perfMarks) performance.clearMarks(name);
    performance.mark("scorch:load-start");
    for (const selector of selectors) selector.invalidate();

    const query = { from: state.from, to: state.to, selector: state.selector };
    const base = state.diff
        ? { base_from: state.baseFrom, base_to: state.baseTo, base_selector: state.baseSelector || state.selector }
        : {};
    const now = Date.now();
    const domain = [resolveTime(state.from, now), resolveTime(state.to, now)];
    const known = domain[0] !== null && domain[1] !== null && domain[1] > domain[0];
    const baseDomain = state.diff ? [resolveTime(state.baseFrom, now), resolveTime(state.baseTo, now)] : null;
    let failed = false;
    const fail = (where) => (error) => {
        if (error?.name === "AbortError") throw error;
        failed = true;
        showError(where, error);
    };
    const tasks = [
        getJSON("/api/v1/flamegraph", { ...query, ...base, max_nodes: state.maxNodes }, signal)
            .then((graph) => showFlameGraph(graph))
            .catch((error) => {
                if (error?.name !== "AbortError") showFlameGraph(null, error);
                fail("Flame graph")(error);
            }),
        getJSON("/api/v1/top", { ...query, ...base, limit: 200 }, signal)
            .then((report) => topTable.setReport(report))
            .catch((error) => {
                if (error?.name !== "AbortError") topTable.setReport(null);
                fail("Top functions")(error);
            }),
        getJSON("/api/v1/series", { ...query, step: known ? stepFor(domain[1] - domain[0]) : undefined }, signal)
            .then((series) => timeline.setData(series, known ? domain : null, baseDomain))
            .catch((error) => {
                if (error?.name !== "AbortError") timeline.setData(null, known ? domain : null, baseDomain);
                fail("Timeline")(error);
            }),
    ];
    const results = await Promise.allSettled(tasks);
    if (signal.aborted || results.some((r) => r.status === "rejected" && r.reason?.name === "AbortError")) return;
    loadedKey = dataKey();
    $("loading").hidden = true;
    setStatus(failed ? "error" : model && model.rootTotal > 0 ? "ready" : "empty");
}

/**
 * Shows the API's flame graph (or why there is none). A large graph is painted first from a partial model of the
 * nodes wide enough to see, and the full model (for zooming, hovering and searching everything) replaces it in the
 * next task; the returned promise settles once it has.
 */
async function showFlameGraph(graph, error = null) {
    performance.mark("scorch:flamegraph-json");
    model = null;
    let full = null;
    if (graph) {
        try {
            const visible = (graph.root?.total ?? 0) * (0.3 / Math.max(1, $("flame-scroll").clientWidth));
            // A zoomed view may need the narrow nodes, so it waits for the full model.
            model = state.zoom.length === 0 && visible > 0 ? new FlameModel(graph, visible) : new FlameModel(graph);
            if (!model.partial) full = model;
        } catch (problem) {
            error = problem;
        }
    }
    performance.mark("scorch:flame-model");
    const empty = $("empty");
    if (!model || model.rootTotal <= 0) {
        model = null;
        flame.setModel(null);
        empty.hidden = false;
        empty.textContent = error
            ? `The flame graph could not be loaded: ${error.message}`
            : `No samples from ${state.from} to ${state.to}` +
              (state.selector ? ` matching ${state.selector}` : "") +
              ". Widen the time range, drag over the timeline, or change the selector.";
        if (graph && error) showError("Flame graph", error);
        $("summary").textContent = "";
        renderBreadcrumb();
        $("matched").textContent = "";
        return;
    }
    empty.hidden = true;
    installModel(model);
    if (full) return performance.mark("scorch:flame-complete");
    await new Promise((resolve) => setTimeout(resolve, 0));
    const shown = model;
    full = new FlameModel(graph);
    // A newer answer may have replaced the partial model meanwhile.
    if (model !== shown) return;
    model = full;
    installModel(full);
    performance.mark("scorch:flame-complete");
}

function installModel(shown) {
    const { node, matched } = shown.findPath(state.zoom);
    if (matched < state.zoom.length) {
        // The zoomed frame is not in this range's graph: show the deepest frame of its path that is.
        state.zoom = state.zoom.slice(0, matched);
        saveState(false);
    }
    runSearch();
    flame.setModel(shown, node);
    renderBreadcrumb();
    const nodes = `${shown.count.toLocaleString()} nodes${shown.partial ? " shown" : ""}`;
    const total = `${formatValue(shown.rootTotal, shown.unit)} ${shown.type}`.trim();
    $("summary").textContent = shown.isDiff
        ? `Total ${total} · base ${formatValue(shown.baseUnscaledTotal ?? shown.baseRootTotal, shown.unit)} ` +
          `· ${nodes}` +
          " · red: larger share than in the base, green: smaller"
        : `Total ${total} · ${nodes}`;
}

// ---- view changes that need no new data

function zoomTo(node, push) {
    if (!model) return;
    state.zoom = model.pathTo(node).slice(1).map((i) => model.name(i));
    flame.setZoom(node);
    renderBreadcrumb();
    saveState(push);
}

function renderBreadcrumb() {
    const list = $("breadcrumb");
    if (!model || model.rootTotal <= 0) return list.replaceChildren();
    list.replaceChildren(
        ...model.pathTo(flame.zoom).map((node) => {
            const item = document.createElement("li");
            const button = document.createElement("button");
            button.type = "button";
            button.textContent = node === 0 ? "all" : model.name(node);
            button.title = model.name(node);
            button.addEventListener("click", () => zoomTo(node, true));
            item.append(button);
            return item;
        }),
    );
}

function runSearch() {
    const output = $("matched");
    output.classList.remove("invalid");
    if (!model) return;
    try {
        model.search(state.search, state.regex);
    } catch (error) {
        model.search("", false);
        output.textContent = `invalid regular expression: ${error.message}`;
        output.classList.add("invalid");
        return;
    }
    output.textContent = state.search ? `matched ${formatPercent(model.matchedTotal, model.rootTotal)} of all` : "";
}

function applySearch() {
    runSearch();
    flame.requestDraw();
}

/** A drag on the timeline: a new range (absolute times), or the diff base with Shift. */
function selectRange(fromMs, toMs, base) {
    if (base) {
        state.diff = true;
        state.baseFrom = rfc3339(fromMs);
        state.baseTo = rfc3339(toMs);
    } else {
        state.from = rfc3339(fromMs);
        state.to = rfc3339(toMs);
    }
    fillForm();
    saveState(true);
    load();
}

/** Shows the state now in the URL, loading only when data-affecting fields changed. */
function restore() {
    state = readState(location.search);
    fillForm();
    flame.setMode(state.mode);
    if (dataKey() !== loadedKey || !model) return load();
    const { node } = model.findPath(state.zoom);
    applySearch();
    flame.setZoom(node);
    renderBreadcrumb();
}

// ---- wiring

$("query").addEventListener("submit", (event) => {
    event.preventDefault();
    readForm();
    state.zoom = [];
    fillForm();
    saveState(true);
    load();
});
$("diff").addEventListener("change", () => {
    $("base").hidden = !$("diff").checked;
    readForm();
    saveState(true);
    load();
});
let searchTimer = 0;
$("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
        state.search = $("search").value;
        applySearch();
        saveState(false);
    }, 120);
});
$("regex").addEventListener("change", () => {
    state.regex = $("regex").checked;
    applySearch();
    saveState(false);
});
for (const mode of ["icicle", "flame"]) {
    $(`mode-${mode}`).addEventListener("click", () => {
        state.mode = mode;
        fillForm();
        flame.setMode(mode);
        saveState(false);
    });
}
$("reset").addEventListener("click", () => zoomTo(0, true));
document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement) return;
    if (event.key === "Escape") zoomTo(0, true);
    if (event.key === "/") {
        event.preventDefault();
        $("search").focus();
    }
});
window.addEventListener("popstate", restore);

/** Read-only hook for tests and debugging: what is shown, never a way to change it. */
window.scorch = Object.freeze({
    state: () => structuredClone(state),
    drawnFrames: () => flame.drawnFrames(),
    matched: () => (model ? { total: model.matchedTotal, of: model.rootTotal, text: $("matched").textContent } : null),
    breadcrumb: () => [...$("breadcrumb").querySelectorAll("button")].map((b) => b.title),
    nodeCount: () => model?.count ?? 0,
    errors: () => [...$("errors").querySelectorAll(".error")].map((e) => e.textContent),
    /** Mean milliseconds of `count` full redraws of the current view (for bench/ui.sh); changes nothing shown. */
    timeRedraw: (count = 20) => {
        const start = performance.now();
        for (let k = 0; k < count; k++) flame.draw();
        return (performance.now() - start) / count;
    },
});

fillForm();
flame.setMode(state.mode);
load();
