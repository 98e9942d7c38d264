// The JSON API (/api/v1, see openapi.yaml): every failure becomes an ApiError with the server's own message.

/** A request that failed: the server's `{"error": …}` message, or what went wrong on the way. */
export class ApiError extends Error {
    constructor(path, status, message, parameter = undefined) {
        super(message);
        this.name = "ApiError";
        this.path = path;
        this.status = status;
        /** The query parameter the server named as wrong, if it did. */
        this.parameter = parameter;
    }
}

// The bearer token of a server that requires one (`--auth-token`): kept for this tab only, never in the URL, so a
// shared link does not share it.
const tokenKey = "scorch-token";

/** Uses `token` for every API call from now on (an empty one forgets it). */
export function setToken(token) {
    if (token) sessionStorage.setItem(tokenKey, token);
    else sessionStorage.removeItem(tokenKey);
}

/**
 * GET `path` with the query `params` (entries whose value is undefined, null or "" are left out) and decode the JSON.
 * `signal` aborts the request (an AbortError is rethrown as is, so callers can ignore superseded requests).
 */
export async function getJSON(path, params = {}, signal = undefined) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
        if (value !== undefined && value !== null && value !== "") query.set(key, String(value));
    }
    const url = query.size ? `${path}?${query}` : path;
    let response;
    try {
        const headers = { Accept: "application/json" };
        const token = sessionStorage.getItem(tokenKey);
        if (token) headers.Authorization = `Bearer ${token}`;
        response = await fetch(url, { signal, headers });
    } catch (error) {
        if (error.name === "AbortError") throw error;
        throw new ApiError(path, 0, `cannot reach the server: ${error.message}`);
    }
    let body;
    if (response.ok) {
        // Parsing the bytes directly spares a 10+ MB string for large flame graphs.
        try {
            body = await response.json();
        } catch (error) {
            if (error.name === "AbortError") throw error;
            const message = `HTTP ${response.status}: the answer is not JSON (${error.message})`;
            throw new ApiError(path, response.status, message);
        }
    } else {
        const text = await response.text();
        try {
            body = text ? JSON.parse(text) : null;
        } catch {
            const snippet = text.slice(0, 120).trim();
            throw new ApiError(path, response.status, `HTTP ${response.status}: ${snippet || "no message"}`);
        }
    }
    if (!response.ok || (body && typeof body.error === "string")) {
        const message = body && typeof body.error === "string" ? body.error : `HTTP ${response.status}`;
        throw new ApiError(path, response.status, message, body?.parameter);
    }
    return body;
}
