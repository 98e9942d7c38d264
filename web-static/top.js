// The top functions as a table sortable by any column: the API's `{unit, total, rows}` (flat, cum and their
// percentages), or in diff mode its diff report (`base_flat`, `new_flat`, … and per-change `delta` and significance,
// as `scorch diff` prints it). Clicking a function name searches the flame graph for exactly that function.

import { formatPercent, formatPoints, formatValue } from "./format.js";

/** Columns of a plain report: a key, a title, how to read and how to show a row's value. */
function plainColumns(unit) {
    const value = (v) => (v === undefined ? "" : formatValue(v, unit));
    const percent = (v) => formatPercent(v ?? 0, 100);
    return [
        { key: "name", title: "Function", get: (r) => r.name },
        { key: "flat", title: "Flat", get: (r) => r.flat, show: value },
        { key: "flat_percent", title: "Flat %", get: (r) => r.flat_percent, show: percent },
        { key: "cum", title: "Cum", get: (r) => r.cum, show: value },
        { key: "cum_percent", title: "Cum %", get: (r) => r.cum_percent, show: percent },
    ];
}

/** Columns of a diff report; changes are percentage points (relative) or values (absolute normalization). */
function diffColumns(report) {
    const unit = report.unit ?? "";
    const value = (v) => (v === undefined ? "" : formatValue(v, unit));
    const change = report.normalization === "absolute" ? (v) => formatValue(v ?? 0, unit) : (v) => formatPoints(v ?? 0);
    const significance = (row) => (row.flat?.significant || row.cum?.significant ? 1 : 0);
    return [
        { key: "name", title: "Function", get: (r) => r.name },
        { key: "new_flat", title: "Flat", get: (r) => r.new_flat, show: value },
        { key: "base_flat", title: "Base flat", get: (r) => r.base_flat, show: value },
        { key: "flat_delta", title: "Δ flat", get: (r) => r.flat?.delta, show: change, signed: true },
        { key: "cum_delta", title: "Δ cum", get: (r) => r.cum?.delta, show: change, signed: true },
        {
            key: "significant", title: "Sig.", get: significance, show: (v) => (v ? "●" : ""),
            hint: "Significant at the report's alpha (Holm-adjusted p-value)",
        },
    ];
}

export class TopTable {
    /**
     * @param {HTMLTableElement} table
     * @param {(name: string) => void} onPick called with a function name the user clicked.
     */
    constructor(table, onPick) {
        this.table = table;
        this.onPick = onPick;
        this.report = null;
        this.sort = { key: "flat", descending: true };
    }

    setReport(report) {
        const wasDiff = this.isDiff;
        this.report = report;
        if (this.isDiff !== wasDiff) this.sort = { key: this.isDiff ? "flat_delta" : "flat", descending: true };
        this.render();
    }

    get isDiff() {
        return Boolean(this.report?.rows?.some((row) => row.new_flat !== undefined));
    }

    sortBy(key) {
        if (this.sort.key === key) this.sort.descending = !this.sort.descending;
        else this.sort = { key, descending: key !== "name" };
        this.render();
    }

    render() {
        const report = this.report;
        const columns = report && this.isDiff ? diffColumns(report) : plainColumns(report?.unit ?? "");
        const rows = [...(report?.rows ?? [])];
        const { key, descending } = this.sort;
        const column = columns.find((c) => c.key === key) ?? columns[1];
        rows.sort((a, b) => {
            const x = column.get(a) ?? (column.key === "name" ? "" : 0);
            const y = column.get(b) ?? (column.key === "name" ? "" : 0);
            // Names in code point order (as pprof and `scorch top` list them), not by locale.
            const order = typeof x === "string" ? (x < y ? -1 : x > y ? 1 : 0) : x - y;
            return descending ? -order : order;
        });

        const head = document.createElement("tr");
        for (const c of columns) {
            const cell = document.createElement("th");
            cell.className = c.key === "name" ? "" : "numeric";
            const button = document.createElement("button");
            button.type = "button";
            button.textContent = c.title + (c === column ? (descending ? " ▼" : " ▲") : "");
            if (c.hint) button.title = c.hint;
            button.addEventListener("click", () => this.sortBy(c.key));
            cell.setAttribute("aria-sort", c === column ? (descending ? "descending" : "ascending") : "none");
            cell.append(button);
            head.append(cell);
        }
        const body = document.createElement("tbody");
        for (const row of rows) {
            const tr = document.createElement("tr");
            for (const c of columns) {
                const cell = document.createElement("td");
                const value = c.get(row);
                if (c.key === "name") {
                    const link = document.createElement("button");
                    link.type = "button";
                    link.className = "function";
                    link.textContent = value;
                    link.title = row.file ? `${value}\n${row.file}` : value;
                    link.addEventListener("click", () => this.onPick(value));
                    cell.append(link);
                } else {
                    cell.textContent = c.show(value);
                    cell.className = "numeric";
                    if (c.signed && value > 0) cell.classList.add("grew");
                    if (c.signed && value < 0) cell.classList.add("shrank");
                }
                tr.append(cell);
            }
            body.append(tr);
        }
        const thead = document.createElement("thead");
        thead.append(head);
        const caption = document.createElement("caption");
        const all = report?.total_rows ?? rows.length;
        if (report) {
            caption.textContent = all > rows.length ? `Top ${rows.length} of ${all} functions` : `${all} functions`;
            if (this.isDiff) caption.textContent += " by change against the base";
        }
        this.table.replaceChildren(caption, thead, body);
    }
}
