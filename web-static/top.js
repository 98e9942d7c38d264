// The top functions (the API's `{unit, total, rows}`) as a table sortable by any column. Clicking a function name
// searches the flame graph for exactly that function.

import { formatPercent, formatValue } from "./format.js";

const columns = [
    { key: "name", title: "Function", numeric: false },
    { key: "flat", title: "Flat", numeric: true },
    { key: "flat_percent", title: "Flat %", numeric: true },
    { key: "cum", title: "Cum", numeric: true },
    { key: "cum_percent", title: "Cum %", numeric: true },
];
const diffColumns = [
    { key: "base_flat", title: "Base flat", numeric: true },
    { key: "base_cum", title: "Base cum", numeric: true },
];

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
        this.report = report;
        this.render();
    }

    sortBy(key) {
        if (this.sort.key === key) this.sort.descending = !this.sort.descending;
        else this.sort = { key, descending: key !== "name" };
        this.render();
    }

    render() {
        const report = this.report;
        const rows = [...(report?.rows ?? [])];
        const shown = rows.some((row) => row.base_flat !== undefined) ? [...columns, ...diffColumns] : columns;
        const { key, descending } = this.sort;
        rows.sort((a, b) => {
            const x = a[key] ?? (key === "name" ? "" : 0);
            const y = b[key] ?? (key === "name" ? "" : 0);
            const order = typeof x === "string" ? x.localeCompare(y) : x - y;
            return descending ? -order : order;
        });

        const head = document.createElement("tr");
        for (const column of shown) {
            const cell = document.createElement("th");
            cell.className = column.numeric ? "numeric" : "";
            const button = document.createElement("button");
            button.type = "button";
            button.textContent = column.title + (column.key === key ? (descending ? " ▼" : " ▲") : "");
            button.addEventListener("click", () => this.sortBy(column.key));
            cell.setAttribute("aria-sort", column.key === key ? (descending ? "descending" : "ascending") : "none");
            cell.append(button);
            head.append(cell);
        }
        const body = document.createElement("tbody");
        const unit = report?.unit ?? "";
        for (const row of rows) {
            const tr = document.createElement("tr");
            for (const column of shown) {
                const cell = document.createElement("td");
                const value = row[column.key];
                if (column.key === "name") {
                    const link = document.createElement("button");
                    link.type = "button";
                    link.className = "function";
                    link.textContent = value;
                    link.title = row.file ? `${value}\n${row.file}` : value;
                    link.addEventListener("click", () => this.onPick(value));
                    cell.append(link);
                } else if (column.key.endsWith("_percent")) {
                    cell.textContent = formatPercent(value ?? 0, 100);
                } else {
                    cell.textContent = value === undefined ? "" : formatValue(value, unit);
                }
                if (column.numeric) cell.className = "numeric";
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
        }
        this.table.replaceChildren(caption, thead, body);
    }
}
