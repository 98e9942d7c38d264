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
        response = await fetch(url, { signal, headers: { Accept: "application/json" } });
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
