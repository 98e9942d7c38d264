// The flame graph on one canvas. Only visible nodes are drawn: a subtree narrower than a fraction of a pixel, or
// wholly above or below the scrolled viewport, is skipped at once (its nodes are one index range), so a frame costs
// time in proportion to what is on screen, not to the size of the tree. No DOM node per frame.

import { ancestorColor, diffColor, frameColor, matchedColor, mutedColors, palette, unmatchedColor } from "./colors.js";
import { formatPercent, formatPoints, formatValue } from "./format.js";

const rowHeight = 18;
const font = "12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
/** Subtrees narrower than this many CSS pixels are not drawn. */
const minWidth = 0.35;

export class FlameGraphView {
    /**
     * @param {HTMLElement} scroller the scrolling container; holds the sticky canvas and a spacer.
     * @param {HTMLElement} tooltip an absolutely positioned element for hover details.
     * @param {(index: number) => void} onZoom called when a click asks to zoom to a node.
     */
    constructor(scroller, tooltip, onZoom) {
        this.scroller = scroller;
        this.tooltip = tooltip;
        this.onZoom = onZoom;
        this.canvas = scroller.querySelector("canvas");
        this.spacer = scroller.querySelector(".flame-spacer");
        this.context = this.canvas.getContext("2d", { alpha: false });
        this.model = null;
        this.zoom = 0;
        this.mode = "icicle";
        this.hovered = -1;
        this.pending = false;
        this.drawn = { index: [], x: [], y: [], width: [], label: [], color: [] };
        this.firstPaintMarked = true;

        scroller.addEventListener("scroll", () => this.requestDraw());
        new ResizeObserver(() => this.requestDraw()).observe(scroller);
        this.canvas.addEventListener("mousemove", (event) => this.hover(event));
        this.canvas.addEventListener("mouseleave", () => this.hover(null));
        this.canvas.addEventListener("click", (event) => {
            const node = this.nodeAtEvent(event);
            if (node >= 0 && node !== this.zoom) this.onZoom(node);
        });
    }

    /** Shows `model` zoomed to `zoom`; marks `scorch:flame-painted` once its first frame is on screen. */
    setModel(model, zoom = 0) {
        this.model = model;
        this.zoom = zoom;
        this.hovered = -1;
        // Once per load (main.js clears the marks when it starts one), not again for the full model after the partial.
        this.firstPaintMarked = performance.getEntriesByName("scorch:flame-drawn").length > 0;
        this.layoutHeight(true);
        this.draw();
    }

    setZoom(index) {
        this.zoom = index;
        this.layoutHeight(true);
        this.requestDraw();
    }

    setMode(mode) {
        this.mode = mode;
        this.layoutHeight(true);
        this.requestDraw();
    }

    /** Content rows: the zoomed node's ancestors, itself and its deepest descendant. */
    get rows() {
        return this.model ? this.model.subtreeDepth[this.zoom] + 1 : 0;
    }

    layoutHeight(scrollToRoot) {
        const viewport = this.scroller.clientHeight;
        this.spacer.style.height = `${Math.max(0, this.rows * rowHeight - viewport)}px`;
        if (scrollToRoot) this.scroller.scrollTop = this.mode === "flame" ? this.scroller.scrollHeight : 0;
    }

    requestDraw() {
        if (this.pending) return;
        this.pending = true;
        requestAnimationFrame(() => {
            this.pending = false;
            this.draw();
        });
    }

    /** Content height: all rows, and at least the viewport, so the root of a short flame graph sits at the bottom. */
    get contentHeight() {
        return Math.max(this.rows * rowHeight, this.scroller.clientHeight);
    }

    rowY(depth) {
        return this.mode === "icicle" ? depth * rowHeight : this.contentHeight - (depth + 1) * rowHeight;
    }

    draw() {
        const width = this.scroller.clientWidth;
        const height = this.scroller.clientHeight;
        const ratio = window.devicePixelRatio || 1;
        if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
            this.canvas.width = Math.round(width * ratio);
            this.canvas.height = Math.round(height * ratio);
            this.canvas.style.width = `${width}px`;
            this.canvas.style.height = `${height}px`;
            this.layoutHeight(false);
        }
        const ctx = this.context;
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.fillStyle = "#fff";
        ctx.fillRect(0, 0, width, height);
        const drawn = (this.drawn = { index: [], x: [], y: [], width: [], label: [], color: [] });
        const m = this.model;
        if (!m || m.total[this.zoom] <= 0) return;
        ctx.font = font;
        ctx.textBaseline = "middle";
        const charWidth = ctx.measureText("m").width;
        const z = this.zoom;
        const scale = width / m.total[z];
        const x0 = m.start[z];
        const top = this.scroller.scrollTop;
        const bottom = top + height;
        const icicle = this.mode === "icicle";
        const all = m.rootTotal;
        const baseAll = m.baseRootTotal;

        // Boxes are collected per colour and filled with one path per colour; labels follow in one pass.
        const buckets = palette.map(() => []);
        const labels = [];
        let hoveredBox = null;
        const box = (i, x, w, color) => {
            const y = this.rowY(m.depth[i]) - top;
            buckets[color].push(x, y, w > 2 ? w - 1 : w);
            let label = "";
            if (w > charWidth * 3 + 6) {
                const name = m.names[i];
                const fits = Math.floor((w - 6) / charWidth);
                label = name.length <= fits ? name : `${name.slice(0, fits - 1)}…`;
                labels.push(label, x + 3, y + rowHeight / 2, mutedColors.has(color));
            }
            if (i === this.hovered) hoveredBox = [x, y, w];
            drawn.index.push(i);
            drawn.x.push(x);
            drawn.y.push(y);
            drawn.width.push(w);
            drawn.label.push(label);
            drawn.color.push(color);
        };

        // The zoomed node's ancestors, full width: where the zoomed subtree sits.
        for (let a = m.parent[z]; a >= 0; a = m.parent[a]) {
            const y = this.rowY(m.depth[a]);
            if (y + rowHeight > top && y < bottom) box(a, 0, width, ancestorColor);
        }
        const end = m.end[z];
        let i = z;
        while (i < end) {
            const w = m.total[i] * scale;
            if (w < minWidth) {
                i = m.end[i];
                continue;
            }
            const y = this.rowY(m.depth[i]);
            // Descendants lie further down in icicle mode and further up in flame mode.
            if (y >= bottom) {
                i = icicle ? m.end[i] : i + 1;
                continue;
            }
            if (y + rowHeight <= top) {
                i = icicle ? i + 1 : m.end[i];
                continue;
            }
            let color;
            if (m.matches) color = m.matches[i] ? matchedColor : unmatchedColor;
            else if (m.isDiff) color = diffColor(m.total[i] / (all || 1), m.baseTotal[i] / (baseAll || 1));
            else color = frameColor(m.names[i]);
            box(i, (m.start[i] - x0) * scale, w, color);
            i++;
        }
        for (let color = 0; color < buckets.length; color++) {
            const rects = buckets[color];
            if (!rects.length) continue;
            ctx.fillStyle = palette[color];
            ctx.beginPath();
            for (let k = 0; k < rects.length; k += 3) ctx.rect(rects[k], rects[k + 1], rects[k + 2], rowHeight - 1);
            ctx.fill();
        }
        for (const muted of [false, true]) {
            ctx.fillStyle = muted ? "#555" : "#000";
            for (let k = 0; k < labels.length; k += 4) {
                if (labels[k + 3] === muted) ctx.fillText(labels[k], labels[k + 1], labels[k + 2]);
            }
        }
        if (hoveredBox) {
            const [x, y, w] = hoveredBox;
            ctx.strokeStyle = "#000";
            ctx.lineWidth = 1;
            ctx.strokeRect(x + 0.5, y + 0.5, Math.max(0, w - 2), rowHeight - 2);
        }
        if (!this.firstPaintMarked) {
            this.firstPaintMarked = true;
            performance.mark("scorch:flame-drawn");
            // The next frame's callback runs after the frame holding this drawing was handed to the compositor.
            requestAnimationFrame(() => performance.mark("scorch:flame-painted"));
        }
    }

    nodeAtEvent(event) {
        const m = this.model;
        if (!m || m.total[this.zoom] <= 0) return -1;
        const rect = this.canvas.getBoundingClientRect();
        const x = event.clientX - rect.left;
        const y = event.clientY - rect.top + this.scroller.scrollTop;
        const depth =
            this.mode === "icicle" ? Math.floor(y / rowHeight) : Math.floor((this.contentHeight - y) / rowHeight);
        if (depth < 0 || depth >= this.rows) return -1;
        const value = m.start[this.zoom] + (x / rect.width) * m.total[this.zoom];
        return m.nodeAt(this.zoom, depth, value);
    }

    hover(event) {
        const node = event ? this.nodeAtEvent(event) : -1;
        if (node !== this.hovered) {
            this.hovered = node;
            this.requestDraw();
        }
        if (node < 0) {
            this.tooltip.hidden = true;
            return;
        }
        this.tooltip.replaceChildren(...this.describe(node));
        this.tooltip.hidden = false;
        const margin = 14;
        const { innerWidth, innerHeight } = window;
        const box = this.tooltip.getBoundingClientRect();
        let left = event.clientX + margin;
        let top = event.clientY + margin;
        if (left + box.width > innerWidth) left = Math.max(0, event.clientX - margin - box.width);
        if (top + box.height > innerHeight) top = Math.max(0, event.clientY - margin - box.height);
        this.tooltip.style.left = `${left}px`;
        this.tooltip.style.top = `${top}px`;
    }

    /** Tooltip lines for `node`: name, self, total and share, source and binary, and the base side in diff mode. */
    describe(node) {
        const m = this.model;
        const json = m.nodes[node];
        const all = m.rootTotal;
        const lines = [];
        const line = (label, value) => {
            const row = document.createElement("div");
            const key = document.createElement("span");
            key.className = "key";
            key.textContent = label;
            row.append(key, document.createTextNode(value));
            lines.push(row);
        };
        const title = document.createElement("div");
        title.className = "title";
        title.textContent = m.name(node);
        lines.push(title);
        line("total", `${formatValue(m.total[node], m.unit)} (${formatPercent(m.total[node], all)} of all)`);
        line("self", `${formatValue(m.self[node], m.unit)} (${formatPercent(m.self[node], all)} of all)`);
        if (json.file) line("source", json.line ? `${json.file}:${json.line}` : json.file);
        if (json.mapping) line("binary", json.mapping);
        if (json.inlined) line("inlined", "yes, into its caller");
        if (m.isDiff) {
            const baseAll = m.baseRootTotal;
            const base = (value) => `${formatValue(value, m.unit)} (${formatPercent(value, baseAll)} of base)`;
            line("base total", base(m.baseTotal[node]));
            line("base self", base(m.baseSelf[node]));
            const change = (m.total[node] / (all || 1) - m.baseTotal[node] / (baseAll || 1)) * 100;
            line("share change", formatPoints(change));
        }
        return lines;
    }

    /** What the last frame drew, for tests and debugging: one entry per box, in drawing order. */
    drawnFrames() {
        const { index, x, y, width, label, color } = this.drawn;
        const m = this.model;
        return index.map((node, k) => ({
            name: m.name(node), label: label[k], x: x[k], y: y[k], width: width[k], color: palette[color[k]],
            matched: m.matches ? m.matches[node] === 1 : false, ancestor: node < this.zoom && this.zoom < m.end[node],
        }));
    }
}
