// Autocomplete for a Prometheus-style label selector (`{comm="python3", pid!="1"}`): label names after `{` or `,`,
// values inside the quotes after a matcher; both fetched from the labels endpoints and kept per page load.

import { getJSON } from "./api.js";

export class SelectorInput {
    /**
     * @param {HTMLInputElement} input
     * @param {HTMLUListElement} list the suggestion list, positioned under the input.
     * @param {(error: Error) => void} onError where failures of the labels endpoints go.
     * @param {() => {from: string, to: string}} range the time range whose labels to offer.
     */
    constructor(input, list, onError, range) {
        this.input = input;
        this.range = range;
        this.list = list;
        this.onError = onError;
        this.names = null;
        this.values = new Map();
        this.items = [];
        this.active = -1;
        this.context = null;
        this.generation = 0;
        input.setAttribute("autocomplete", "off");
        input.addEventListener("input", () => this.suggest());
        input.addEventListener("focus", () => this.suggest());
        input.addEventListener("click", () => this.suggest());
        input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
        input.addEventListener("keydown", (event) => this.key(event));
    }

    /** Forgets cached names and values (another time range may have others). */
    invalidate() {
        this.names = null;
        this.values.clear();
    }

    /** What is being typed at the caret: a label name or a value of a named label, with the text typed so far. */
    contextAt(text, caret) {
        const before = text.slice(0, caret);
        const value = /([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)$/.exec(before);
        if (value) return { kind: "value", label: value[1], prefix: value[3], start: caret - value[3].length };
        const name = /(?:^\s*\{?|[{,])\s*([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
        if (name && !/"[^"]*$/.test(before.replace(/"(?:[^"\\]|\\.)*"/g, ""))) {
            const prefix = name[1] ?? "";
            return { kind: "name", prefix, start: caret - prefix.length };
        }
        return null;
    }

    async suggest() {
        const generation = ++this.generation;
        const context = this.contextAt(this.input.value, this.input.selectionStart ?? this.input.value.length);
        if (!context) return this.close();
        let candidates;
        try {
            if (context.kind === "name") {
                this.names ??= (await getJSON("/api/v1/labels", this.range())).names ?? [];
                candidates = this.names;
            } else {
                if (!this.values.has(context.label)) {
                    const path = `/api/v1/labels/${encodeURIComponent(context.label)}/values`;
                    const answer = await getJSON(path, this.range());
                    this.values.set(context.label, answer.values ?? []);
                }
                candidates = this.values.get(context.label);
            }
        } catch (error) {
            this.close();
            this.onError(error);
            return;
        }
        if (generation !== this.generation || document.activeElement !== this.input) return;
        const prefix = context.prefix.toLowerCase();
        this.items = candidates.filter((c) => c.toLowerCase().startsWith(prefix) && c !== context.prefix).slice(0, 50);
        this.context = context;
        this.active = this.items.length ? 0 : -1;
        this.render();
    }

    render() {
        this.list.replaceChildren(
            ...this.items.map((item, index) => {
                const li = document.createElement("li");
                li.textContent = item;
                li.setAttribute("role", "option");
                if (index === this.active) li.setAttribute("aria-selected", "true");
                li.addEventListener("mousedown", (event) => {
                    event.preventDefault();
                    this.accept(index);
                });
                return li;
            }),
        );
        this.list.hidden = this.items.length === 0;
        // What the list offers: label names, or the values of one label.
        this.list.dataset.kind = this.context?.kind === "value" ? `values of ${this.context.label}` : "names";
    }

    close() {
        this.items = [];
        this.list.hidden = true;
    }

    key(event) {
        if (this.list.hidden || !this.items.length) return;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            const step = event.key === "ArrowDown" ? 1 : -1;
            this.active = (this.active + step + this.items.length) % this.items.length;
            this.render();
        } else if (event.key === "Tab" || (event.key === "Enter" && this.active >= 0)) {
            event.preventDefault();
            event.stopPropagation();
            this.accept(this.active);
        } else if (event.key === "Escape") {
            this.close();
        }
    }

    /** Replaces the typed prefix with item `index`, adding the braces, matcher and quotes that must follow. */
    accept(index) {
        const item = this.items[index];
        const context = this.context;
        if (item === undefined || !context) return;
        const text = this.input.value;
        const caret = this.input.selectionStart ?? text.length;
        let head = text.slice(0, context.start);
        let tail = text.slice(caret);
        let insert;
        if (context.kind === "name") {
            if (!head.includes("{")) head = `{${head.trimStart()}`;
            insert = `${item}="`;
            if (!tail.includes("}")) tail = `"}${tail}`;
            else tail = `"${tail.replace(/^[A-Za-z0-9_]*/, "")}`;
        } else {
            const escaped = item.replace(/[\\"]/g, "\\$&");
            insert = escaped;
            tail = tail.replace(/^(?:[^"\\]|\\.)*/, "");
            if (!tail.startsWith('"')) tail = `"${tail}`;
            if (!tail.includes("}")) tail = `${tail}}`;
        }
        this.input.value = head + insert + tail;
        const position = head.length + insert.length + (context.kind === "value" ? 1 : 0);
        this.input.setSelectionRange(position, position);
        this.input.dispatchEvent(new Event("input"));
    }
}
