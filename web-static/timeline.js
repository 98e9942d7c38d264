// Samples over time (the API's series, summed over groups) as an area chart on a canvas. Dragging selects a time
// range; with Shift held it selects the base range of a diff instead.

import { formatTime, formatValue } from "./format.js";

const padding = { left: 56, right: 8, top: 6, bottom: 18 };

export class TimelineView {
    /**
     * @param {HTMLCanvasElement} canvas
     * @param {(fromMs: number, toMs: number, base: boolean) => void} onSelect a finished drag, in ms since the epoch.
     */
    constructor(canvas, onSelect) {
        this.canvas = canvas;
        this.onSelect = onSelect;
        this.context = canvas.getContext("2d");
        this.points = [];
        this.domain = null;
        this.unit = "";
        this.base = null;
        this.drag = null;
        new ResizeObserver(() => this.draw()).observe(canvas);
        canvas.addEventListener("pointerdown", (event) => {
            if (!this.domain || event.button !== 0) return;
            canvas.setPointerCapture(event.pointerId);
            const x = this.clampX(event);
            this.drag = { from: x, to: x, base: event.shiftKey };
            this.draw();
        });
        canvas.addEventListener("pointermove", (event) => {
            if (!this.drag) return;
            this.drag.to = this.clampX(event);
            this.draw();
        });
        canvas.addEventListener("pointerup", (event) => {
            if (!this.drag) return;
            const { from, to, base } = this.drag;
            this.drag = null;
            this.draw();
            if (Math.abs(to - from) < 3) return;
            this.onSelect(this.timeAt(Math.min(from, to)), this.timeAt(Math.max(from, to)), base);
        });
        canvas.addEventListener("pointercancel", () => {
            this.drag = null;
            this.draw();
        });
    }

    /**
     * Shows `series` (the API's `{unit, step, series: [{labels, points: [[t_ms, value]]}]}`, step in ms) over `domain`
     * ([fromMs, toMs], or null to use the data's extent); `base` ([fromMs, toMs] or null) is shaded.
     */
    setData(series, domain, base) {
        const sums = new Map();
        for (const group of series?.series ?? []) {
            for (const [t, value] of group.points ?? []) sums.set(t, (sums.get(t) ?? 0) + value);
        }
        this.points = [...sums.entries()].sort((a, b) => a[0] - b[0]);
        this.step = Number(series?.step) || 0;
        this.unit = series?.unit ?? "";
        if (domain && domain[1] > domain[0]) this.domain = domain;
        else if (this.points.length) this.domain = [this.points[0][0], this.points.at(-1)[0] + 1];
        else this.domain = null;
        this.base = base;
        this.draw();
    }

    get plotWidth() {
        return this.canvas.clientWidth - padding.left - padding.right;
    }

    clampX(event) {
        const rect = this.canvas.getBoundingClientRect();
        return Math.min(Math.max(event.clientX - rect.left, padding.left), padding.left + this.plotWidth);
    }

    timeAt(x) {
        const [from, to] = this.domain;
        return from + ((x - padding.left) / this.plotWidth) * (to - from);
    }

    xAt(t) {
        const [from, to] = this.domain;
        return padding.left + ((t - from) / (to - from)) * this.plotWidth;
    }

    draw() {
        const ratio = window.devicePixelRatio || 1;
        const width = this.canvas.clientWidth;
        const height = this.canvas.clientHeight;
        if (!width || !height) return;
        this.canvas.width = Math.round(width * ratio);
        this.canvas.height = Math.round(height * ratio);
        const ctx = this.context;
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.clearRect(0, 0, width, height);
        ctx.font = "11px system-ui, sans-serif";
        ctx.fillStyle = "#666";
        if (!this.domain) {
            ctx.textAlign = "center";
            ctx.textBaseline = "middle";
            ctx.fillText("no samples over time in this range", width / 2, height / 2);
            return;
        }
        const plotHeight = height - padding.top - padding.bottom;
        const max = this.points.reduce((most, [, v]) => Math.max(most, v), 1);
        const yAt = (v) => padding.top + plotHeight - (v / max) * plotHeight;

        if (this.base) this.shade(this.base[0], this.base[1], "rgba(46, 160, 67, 0.15)", height);
        // Each point covers one step; bars show gaps honestly where nothing was stored.
        ctx.fillStyle = "rgba(232, 106, 36, 0.55)";
        ctx.strokeStyle = "rgb(200, 80, 20)";
        const stepWidth = this.step ? Math.max(1, this.xAt(this.domain[0] + this.step) - this.xAt(this.domain[0])) : 2;
        ctx.save();
        ctx.beginPath();
        ctx.rect(padding.left, 0, this.plotWidth, height);
        ctx.clip();
        for (const [t, value] of this.points) {
            const x = this.xAt(t);
            if (x + stepWidth < padding.left || x > padding.left + this.plotWidth) continue;
            ctx.fillRect(x, yAt(value), stepWidth, padding.top + plotHeight - yAt(value));
        }
        ctx.restore();
        // Axes: the largest value and a few times.
        ctx.fillStyle = "#666";
        ctx.textAlign = "right";
        ctx.textBaseline = "top";
        ctx.fillText(formatValue(max, this.unit), padding.left - 6, padding.top);
        ctx.textBaseline = "bottom";
        ctx.fillText("0", padding.left - 6, padding.top + plotHeight);
        ctx.strokeStyle = "#ccc";
        ctx.beginPath();
        ctx.moveTo(padding.left, padding.top + plotHeight + 0.5);
        ctx.lineTo(padding.left + this.plotWidth, padding.top + plotHeight + 0.5);
        ctx.stroke();
        ctx.textBaseline = "top";
        ctx.textAlign = "center";
        const ticks = Math.max(2, Math.floor(this.plotWidth / 140));
        const span = this.domain[1] - this.domain[0];
        let previousDay = "";
        for (let k = 0; k <= ticks; k++) {
            const t = this.domain[0] + (span * k) / ticks;
            // The date only where the day changes (and on the first tick).
            const day = new Date(t).toDateString();
            ctx.textAlign = k === 0 ? "left" : k === ticks ? "right" : "center";
            const label = formatTime(t, span < 3600e3 * 6, day !== previousDay);
            ctx.fillText(label, this.xAt(t), padding.top + plotHeight + 3);
            previousDay = day;
        }
        if (this.drag) {
            const color = this.drag.base ? "rgba(46, 160, 67, 0.25)" : "rgba(40, 100, 220, 0.2)";
            ctx.fillStyle = color;
            const left = Math.min(this.drag.from, this.drag.to);
            ctx.fillRect(left, 0, Math.abs(this.drag.to - this.drag.from), height);
        }
    }

    shade(from, to, color, height) {
        const left = Math.max(padding.left, this.xAt(from));
        const right = Math.min(padding.left + this.plotWidth, this.xAt(to));
        if (right <= left) return;
        this.context.fillStyle = color;
        this.context.fillRect(left, 0, right - left, height);
    }
}
