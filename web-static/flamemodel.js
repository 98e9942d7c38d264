// A flame graph (the API's `{unit, type, total, root}` tree) flattened into typed arrays in pre-order, so that
// drawing, hit testing and searching 100k nodes allocate nothing per node.
//
// Node 0 is the root. The subtree of node i is the index range [i, end[i]); its first child (if any) is i + 1 and the
// sibling after a child c is end[c]. On the value axis node i covers [start[i], start[i] + total[i]).

export class FlameModel {
    /** Flattens `graph`; throws a TypeError saying what is malformed. */
    constructor(graph) {
        if (!graph || typeof graph !== "object" || !graph.root || typeof graph.root !== "object") {
            throw new TypeError("the flame graph has no root node");
        }
        this.unit = graph.unit ?? "";
        this.type = graph.type ?? "";
        const count = countNodes(graph.root);
        this.count = count;
        this.total = new Float64Array(count);
        this.self = new Float64Array(count);
        this.start = new Float64Array(count);
        this.depth = new Int32Array(count);
        this.parent = new Int32Array(count);
        this.end = new Int32Array(count);
        this.nameId = new Int32Array(count);
        /** Deepest depth within each subtree. */
        this.subtreeDepth = new Int32Array(count);
        /** The JSON node of each index: file, line, mapping and inlined for the tooltip. */
        this.nodes = new Array(count);
        this.names = [];
        this.isDiff = false;

        const nameIds = new Map();
        const stack = [[graph.root, -1, 0, 0]];
        let index = 0;
        let baseSelf = null;
        let baseTotal = null;
        while (stack.length) {
            const [node, parent, depth, start] = stack.pop();
            const i = index++;
            if (i === 0 && (node.base_total !== undefined || node.base_self !== undefined)) {
                this.isDiff = true;
                baseSelf = this.baseSelf = new Float64Array(count);
                baseTotal = this.baseTotal = new Float64Array(count);
            }
            this.nodes[i] = node;
            this.total[i] = Number(node.total) || 0;
            this.self[i] = Number(node.self) || 0;
            if (baseTotal) {
                baseTotal[i] = Number(node.base_total) || 0;
                baseSelf[i] = Number(node.base_self) || 0;
            }
            this.start[i] = start;
            this.depth[i] = depth;
            this.parent[i] = parent;
            const name = String(node.name ?? "");
            let id = nameIds.get(name);
            if (id === undefined) {
                id = this.names.length;
                this.names.push(name);
                nameIds.set(name, id);
            }
            this.nameId[i] = id;
            const children = Array.isArray(node.children) ? node.children : [];
            // Push in reverse so the first child is visited (and numbered) first.
            let childStart = start + children.reduce((sum, child) => sum + Math.max(0, Number(child.total) || 0), 0);
            for (let c = children.length - 1; c >= 0; c--) {
                childStart -= Math.max(0, Number(children[c].total) || 0);
                stack.push([children[c], i, depth + 1, childStart]);
            }
        }
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
        return this.names[this.nameId[i]];
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
            if (this.names[this.nameId[c]] === name) return c;
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
            const needle = query.toLowerCase();
            test = (name) => name.toLowerCase().includes(needle);
        }
        const nameMatches = new Uint8Array(this.names.length);
        this.names.forEach((name, id) => (nameMatches[id] = test(name) ? 1 : 0));
        const matches = new Uint8Array(this.count);
        let total = 0;
        let coveredUntil = 0;
        for (let i = 1; i < this.count; i++) {
            if (!nameMatches[this.nameId[i]]) continue;
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

function countNodes(root) {
    let count = 0;
    const stack = [root];
    while (stack.length) {
        const node = stack.pop();
        count++;
        if (Array.isArray(node.children)) for (const child of node.children) stack.push(child);
    }
    return count;
}
