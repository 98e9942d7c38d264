// A flame graph (the API's `{unit, type, total, root}` tree) flattened into typed arrays in pre-order, so that
// drawing, hit testing and searching 100k nodes allocate nothing per node.
//
// Node 0 is the root. The subtree of node i is the index range [i, end[i]); its first child (if any) is i + 1 and the
// sibling after a child c is end[c]. On the value axis node i covers [start[i], start[i] + total[i]).

export class FlameModel {
    /**
     * Flattens `graph`; throws a TypeError saying what is malformed.
     *
     * With `minTotal` > 0 the model is partial: subtrees whose total is below it are left out (their space stays
     * empty, every kept node's position and total stay exact). That is enough to paint the unzoomed graph at once,
     * where such subtrees would be narrower than a pixel, while the full model is built.
     */
    constructor(graph, minTotal = 0) {
        if (!graph || typeof graph !== "object" || !graph.root || typeof graph.root !== "object") {
            throw new TypeError("the flame graph has no root node");
        }
        this.unit = graph.unit ?? "";
        this.type = graph.type ?? "";
        const isDiff = graph.root.base_total !== undefined || graph.root.base_self !== undefined;
        this.isDiff = isDiff;
        this.partial = minTotal > 0;
        /** In a diff: the base's total before the server scaled it to this side's (when the server says). */
        this.baseUnscaledTotal =
            isDiff && graph.base_unscaled_total !== undefined ? +graph.base_unscaled_total : undefined;
        // One depth-first pass into arrays that double as needed (counting first would walk the JSON twice).
        let capacity = 1024;
        let total = new Float64Array(capacity);
        let self = new Float64Array(capacity);
        let start = new Float64Array(capacity);
        let depth = new Int32Array(capacity);
        let parent = new Int32Array(capacity);
        let baseTotal = isDiff ? new Float64Array(capacity) : null;
        let baseSelf = isDiff ? new Float64Array(capacity) : null;
        const grow = (array) => {
            const larger = new array.constructor(capacity);
            larger.set(array);
            return larger;
        };
        /** The JSON node of each index: file, line, mapping and inlined for the tooltip. */
        const nodes = [];
        /** Each node's name (not interned: hashing 100k fresh strings would cost more than it saves). */
        const names = [];
        const stackNode = [graph.root];
        const stackParent = [-1];
        const stackDepth = [0];
        const stackStart = [0];
        let count = 0;
        while (stackNode.length) {
            const node = stackNode.pop();
            const nodeParent = stackParent.pop();
            const nodeDepth = stackDepth.pop();
            const nodeStart = stackStart.pop();
            const i = count++;
            if (i === capacity) {
                capacity *= 2;
                [total, self, start, depth, parent] = [grow(total), grow(self), grow(start), grow(depth), grow(parent)];
                if (isDiff) [baseTotal, baseSelf] = [grow(baseTotal), grow(baseSelf)];
            }
            nodes.push(node);
            total[i] = +node.total || 0;
            self[i] = +node.self || 0;
            if (isDiff) {
                baseTotal[i] = +node.base_total || 0;
                baseSelf[i] = +node.base_self || 0;
            }
            start[i] = nodeStart;
            depth[i] = nodeDepth;
            parent[i] = nodeParent;
            names.push(typeof node.name === "string" ? node.name : String(node.name ?? ""));
            const children = node.children;
            if (!Array.isArray(children) || children.length === 0) continue;
            // Children sit side by side from the parent's start; pushed last to first so the first is numbered first.
            let childStart = nodeStart;
            for (let c = 0; c < children.length; c++) childStart += Math.max(0, +children[c].total || 0);
            for (let c = children.length - 1; c >= 0; c--) {
                const child = children[c];
                const childTotal = Math.max(0, +child.total || 0);
                childStart -= childTotal;
                if (childTotal < minTotal) continue;
                stackNode.push(child);
                stackParent.push(i);
                stackDepth.push(nodeDepth + 1);
                stackStart.push(childStart);
            }
        }
        this.count = count;
        this.total = total.subarray(0, count);
        this.self = self.subarray(0, count);
        this.start = start.subarray(0, count);
        this.depth = depth.subarray(0, count);
        this.parent = parent.subarray(0, count);
        this.baseTotal = isDiff ? baseTotal.subarray(0, count) : null;
        this.baseSelf = isDiff ? baseSelf.subarray(0, count) : null;
        this.nodes = nodes;
        this.names = names;
        /** The end of each node's subtree (exclusive): the subtree of i is [i, end[i]). */
        this.end = new Int32Array(count);
        /** Deepest depth within each subtree. */
        this.subtreeDepth = new Int32Array(count);

        // Subtree ends and depths, children before parents (reverse pre-order).
        for (let i = count - 1; i >= 0; i--) {
            if (this.end[i] === 0) this.end[i] = i + 1;
            if (this.subtreeDepth[i] < this.depth[i]) this.subtreeDepth[i] = this.depth[i];
            const p = this.parent[i];
            if (p >= 0) {
                if (this.end[i] > this.end[p]) this.end[p] = this.end[i];
                if (this.subtreeDepth[i] > this.subtreeDepth[p]) this.subtreeDepth[p] = this.subtreeDepth[i];
            }
        }
        this.matches = null;
        this.matchedTotal = 0;
    }

    get rootTotal() {
        return this.total[0];
    }

    get baseRootTotal() {
        return this.baseTotal ? this.baseTotal[0] : 0;
    }

    name(i) {
        return this.names[i];
    }

    /** Indexes from the root to `i`, both included. */
    pathTo(i) {
        const path = [];
        for (let n = i; n >= 0; n = this.parent[n]) path.push(n);
        return path.reverse();
    }

    /** The node reached from the root by following child names (the first child of each name), and how far it got. */
    findPath(names) {
        let node = 0;
        let matched = 0;
        for (const name of names) {
            const next = this.childNamed(node, name);
            if (next < 0) break;
            node = next;
            matched++;
        }
        return { node, matched };
    }

    childNamed(i, name) {
        for (let c = i + 1; c < this.end[i]; c = this.end[c]) {
            if (this.names[c] === name) return c;
        }
        return -1;
    }

    /** The node at `depth` whose range holds `value`, searching below `from` (an ancestor of the answer), or -1. */
    nodeAt(from, depth, value) {
        let node = from;
        if (depth < this.depth[node]) {
            while (node >= 0 && this.depth[node] > depth) node = this.parent[node];
            return node;
        }
        while (this.depth[node] < depth) {
            let next = -1;
            for (let c = node + 1; c < this.end[node]; c = this.end[c]) {
                if (value >= this.start[c] && value < this.start[c] + this.total[c]) {
                    next = c;
                    break;
                }
            }
            if (next < 0) return -1;
            node = next;
        }
        return value >= this.start[node] && value < this.start[node] + this.total[node] ? node : -1;
    }

    /**
     * Marks the nodes whose name matches `query` (a substring, case-insensitive; or a regular expression when
     * `regex`), and sums the total of matched nodes that have no matched ancestor, so recursion is counted once.
     * An empty query clears the marks. Throws a SyntaxError for an invalid regular expression.
     */
    search(query, regex) {
        if (!query) {
            this.matches = null;
            this.matchedTotal = 0;
            return;
        }
        let test;
        if (regex) {
            const pattern = new RegExp(query);
            test = (name) => pattern.test(name);
        } else {
            const pattern = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
            test = (name) => pattern.test(name);
        }
        const matches = new Uint8Array(this.count);
        let total = 0;
        let coveredUntil = 0;
        for (let i = 1; i < this.count; i++) {
            if (!test(this.names[i])) continue;
            matches[i] = 1;
            if (i >= coveredUntil) {
                total += this.total[i];
                coveredUntil = this.end[i];
            }
        }
        this.matches = matches;
        this.matchedTotal = total;
    }
}
