/**
 * GENERATED FILE, DO NOT EDIT: the types of askdb's HTTP API, from the OpenAPI document at
 * /openapi.json (the zod schemas in src/server/schemas/). Regenerate with `npm run gen:web-types`;
 * src/server/web-types.test.ts fails while this file is stale. web/src/api/types.ts names them.
 */

export interface paths {
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics: HTTP requests and latency, engine state, downloads, process */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: answers at once, never waits on the model or a query */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the server is up */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether a model is installed, the database trained, and askdb ready to answer */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the status */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Status"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/status/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Memory, CPU, disk and engine state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the machine's resources */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Resources"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/query": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask a question in plain language; with Accept: text/event-stream, progress is streamed
         * @description SSE events: retrieving {} → generating {token} (repeated) → executing {} → answer (the Answer) or error {error}. Closing the connection cancels the question.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["QueryRequest"];
                };
            };
            responses: {
                /** @description the answer (JSON), or the event stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Answer"];
                        "text/event-stream": string;
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description foreign Host or Origin, a remote backend that is not allowed, or a change refused over HTTP */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description well-formed but cannot be done (SQL refused or failed, invalid model, …) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description cancelled */
                499: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not ready or busy; see Retry-After */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sql": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run user-edited SQL through the read-only guard */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SqlRequest"];
                };
            };
            responses: {
                /** @description the rows */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SqlResult"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description well-formed but cannot be done (SQL refused or failed, invalid model, …) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/train": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add training data: DDL, documentation, or a question/SQL pair (its SQL is checked by the guard first) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["TrainRequest"];
                };
            };
            responses: {
                /** @description stored */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Trained"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description the body is too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description well-formed but cannot be done (SQL refused or failed, invalid model, …) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/knowledge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List or search the current database's training data */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    offset?: number | null;
                    kind?: "ddl" | "documentation" | "question_sql";
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of items */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["KnowledgePage"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add a training item */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["KnowledgeRequest"];
                };
            };
            responses: {
                /** @description stored */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["KnowledgeItem"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description the body is too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description well-formed but cannot be done (SQL refused or failed, invalid model, …) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/knowledge/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a training item */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description removed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Deleted"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Questions asked, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    conversationId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the newest questions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HistoryList"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Forget all question history and conversations */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description cleared */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HistoryCleared"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/feedback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark an answer correct, or give the corrected SQL (run through the guard first); the next similar question uses it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["FeedbackRequest"];
                };
            };
            responses: {
                /** @description the trained question/SQL pair it became */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["KnowledgeItem"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description well-formed but cannot be done (SQL refused or failed, invalid model, …) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/download-model": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start downloading a model (default: the recommended one); returns at once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description catalog id, hf:owner/repo/file.gguf, or https URL (needs the server's token); default: the recommended model */
                        modelId?: string;
                    };
                };
            };
            responses: {
                /** @description the download started (or was already running) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DownloadStarted"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description the server's token is missing or wrong (every route beyond loopback; privileged changes always) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/download-progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Progress of the current (or latest) download */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the progress; status idle when there is none */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DownloadProgress"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cancel-download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel the running download (its partial file is kept so a later download resumes) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description catalog id, hf:owner/repo/file.gguf, or https URL (needs the server's token); default: the recommended model */
                        modelId?: string;
                    };
                };
            };
            responses: {
                /** @description the cancelled download */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DownloadProgress"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/downloads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every download askdb knows of, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the downloads */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DownloadList"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/downloads/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel one download */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the cancelled download */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Download"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/downloads/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-Sent Events: `progress` with a DownloadEvent on every change; `done`, `failed`, `cancelled` at the end of one
         * @description While a download runs, its `progress` event is also re-sent every 1 s, bytes or not; `stalled` turns true (with `bytesPerSecond` 0) when no byte came for 5 s.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the event stream; each event's data is a DownloadEvent */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The catalog and the installed models, with whether each fits in this machine's memory */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the models */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ModelList"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/pull": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queue a download (catalog id, hf:owner/repo/file.gguf, or https URL)
         * @description A URL needs the server's token, and https (plain http only from this machine).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PullRequest"];
                };
            };
            responses: {
                /** @description the queued download (status completed when already installed) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DownloadStarted"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description the server's token is missing or wrong (every route beyond loopback; privileged changes always) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description well-formed but cannot be done (SQL refused or failed, invalid model, …) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an installed model (a file registered in place is only forgotten, never deleted) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description deleted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Deleted"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make an installed model (or ollama:<name>) the one that answers; a local model loads on the next question */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description activated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Activated"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description well-formed but cannot be done (SQL refused or failed, invalid model, …) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every setting: its value, default, where the value comes from, and what is allowed */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Settings"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change settings: all are validated first, then stored together
         * @description Settings whose `http` is `token` (backends, privacy, allowed origins and databases) need the server's token; `terminal` ones (models.dir) are refused. Over HTTP, openai.apiKeyEnv must end in _API_KEY or _TOKEN.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description the settings after the change */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Settings"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description the server's token is missing or wrong (every route beyond loopback; privileged changes always) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description foreign Host or Origin, a remote backend that is not allowed, or a change refused over HTTP */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Feature flags with their phase and state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the flags */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FlagList"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/flags/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Turn a feature flag on or off
         * @description Turning on a flag with `needsToken` (custom providers, MCP over HTTP) needs the server's token.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SetFlagRequest"];
                };
            };
            responses: {
                /** @description the flag and every flag that changed with it */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FlagUpdate"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description the server's token is missing or wrong (every route beyond loopback; privileged changes always) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/databases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The database questions go to, and the others askdb has been pointed at */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the databases */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DatabaseList"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/databases/switch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask about another SQLite file from now on (opened read-only; its schema is trained on first use)
         * @description Needs the server's token. The file must be the database askdb started with, the demo, or in `databases.allowed`; askdb's own data folder never is. A refused path gets the same 403 whether it exists or not.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SwitchDatabaseRequest"];
                };
            };
            responses: {
                /** @description the database now in use */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Database"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description the server's token is missing or wrong (every route beyond loopback; privileged changes always) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description foreign Host or Origin, a remote backend that is not allowed, or a change refused over HTTP */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description well-formed but cannot be done (SQL refused or failed, invalid model, …) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tables, views and columns of the current database */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the schema */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Schema"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extension/pairing-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A one-time code (valid 5 minutes) to enter in the browser extension */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the code */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ExtensionPairingCode"];
                    };
                };
                /** @description the server's token is missing or wrong (every route beyond loopback; privileged changes always) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description foreign Host or Origin, a remote backend that is not allowed, or a change refused over HTTP */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extension/pair": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Called by the extension: trade a pairing code for a credential bound to its origin */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ExtensionPairRequest"];
                };
            };
            responses: {
                /** @description paired */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ExtensionPairing"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description the server's token is missing or wrong (every route beyond loopback; privileged changes always) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description foreign Host or Origin, a remote backend that is not allowed, or a change refused over HTTP */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extension/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The connection status (protocol version, supported browsers) and the paired extensions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the connections */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ExtensionConnections"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extension/connections/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a paired extension's credential */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description revoked */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Revoked"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The installed language models (the active one answers, whatever `model` a request names) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the models */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OpenAiModelList"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chat/completions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OpenAI-compatible chat completion on the active model (streamed with stream: true; tools supported) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ChatCompletionRequest"];
                };
            };
            responses: {
                /** @description a chat.completion, or chat.completion.chunk events ending in [DONE] when streamed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChatCompletion"];
                        "text/event-stream": string;
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description well-formed but cannot be done (SQL refused or failed, invalid model, …) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description cancelled */
                499: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not ready or busy; see Retry-After */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embeddings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OpenAI-compatible embeddings from the active model */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["EmbeddingRequest"];
                };
            };
            responses: {
                /** @description one vector per input */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EmbeddingResponse"];
                    };
                };
                /** @description invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description well-formed but cannot be done (SQL refused or failed, invalid model, …) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not ready or busy; see Retry-After */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs/{page}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page of askdb's documentation (the web UI's help links), as markdown */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    page: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/markdown": string;
                    };
                };
                /** @description not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description the data of each event on GET /api/downloads/events */
        DownloadEvent: components["schemas"]["Download"] & {
            /** @description no byte came for a while (bytesPerSecond is then 0; the download retries by itself) */
            stalled: boolean;
        };
        Download: {
            id: string;
            modelId: string;
            fileName: string;
            url: string;
            /** @enum {string} */
            status: "queued" | "downloading" | "paused" | "verifying" | "completed" | "failed" | "cancelled";
            downloadedBytes: number;
            totalBytes: number | null;
            percent: number | null;
            /** @description moving average over the last few seconds */
            bytesPerSecond: number;
            etaSeconds: number | null;
            error?: {
                code: string;
                message: string;
                hint?: string;
            };
            /** @description set while waiting to retry after a network error or a stall */
            retry?: {
                attempt: number;
                of: number;
                reason: string;
                delaySeconds: number;
            };
        };
        Health: {
            /** @enum {string} */
            status: "ok";
            version: string;
            uptimeSeconds: number;
        };
        Status: {
            /** @description an LLM is installed, or a remote backend is configured */
            modelDownloaded: boolean;
            /** @description the current database's schema is trained */
            knowledgeReady: boolean;
            /** @description question/SQL pairs or documentation exist for it */
            trainingDataLoaded: boolean;
            ready: boolean;
            activeModel: string | null;
            backend: string;
            engine: components["schemas"]["EngineStatus"];
            database: components["schemas"]["Database"];
            warmup: components["schemas"]["Warmup"];
            download: components["schemas"]["DownloadProgress"] | null;
        };
        EngineStatus: {
            /** @description unloaded | loading | ready | busy | error */
            state: string;
            model: string | null;
            queueLength: number;
            /** @description why the engine cannot answer, in plain words, when its state is error */
            error: string | null;
        };
        Database: {
            id: string;
            name: string;
            path: string;
            /** @description askdb's own demo database */
            demo: boolean;
        };
        Warmup: {
            /**
             * @description warming: the model loads and the database's prompt is evaluated in the background (a question waits for it); warm: the first question evaluates only its own part; cold: the idle model was unloaded; off: setting engine.prewarm, or no local model
             * @enum {string}
             */
            state: "off" | "warming" | "warm" | "cold" | "failed";
            /** @enum {string} */
            step?: "loading the model" | "evaluating the prompt";
            error?: string;
        };
        DownloadProgress: {
            /** @enum {string} */
            status: "idle" | "queued" | "downloading" | "paused" | "verifying" | "completed" | "failed" | "cancelled";
            modelId: string | null;
            downloaded_bytes: number;
            total_bytes: number;
            downloaded_gb: number;
            total_gb: number;
            percentage: number;
            /** @description bytes per second */
            speed: number;
            /** @description seconds left */
            eta: number | null;
            error: string | null;
        };
        Resources: {
            takenAt: string;
            process: {
                pid: number;
                rssBytes: number;
                heapUsedBytes: number;
                heapTotalBytes: number;
                externalBytes: number;
                uptimeSeconds: number;
            };
            memory: {
                totalBytes: number;
                freeBytes: number;
                usedPercent: number;
            };
            cpu: {
                cores: number;
                model: string;
                loadAverage: [
                    number,
                    number,
                    number
                ];
                loadPerCore: number;
            };
            disk: {
                /** @description the folder asked about (where models live) */
                path: string;
                /** @description the folder measured: path, or its nearest existing parent */
                measuredPath: string;
                freeBytes: number;
                totalBytes: number;
            } | null;
            /** @description null when there is no usable GPU (or GPU probing is off) */
            gpu: {
                type: string;
                devices: string[];
                vram: {
                    totalBytes: number;
                    usedBytes: number;
                    freeBytes: number;
                };
                unifiedMemoryBytes: number;
            } | null;
            models: {
                model: string;
                backend: string;
                totalRequests: number;
                successfulRequests: number;
                failedRequests: number;
                /** @description 0–1, null before the first request */
                successRate: number | null;
                promptTokensPerSecond: number | null;
                tokensPerSecond: number | null;
                peakMemoryBytes: number;
                lastLoadMs: number | null;
                updatedAt: string;
            }[];
            ollama: {
                host: string;
                url: string | null;
                ok: boolean;
                responseMs: number | null;
                error: string | null;
                consecutiveFailures: number;
                lastCheckAt: string;
                lastOkAt: string | null;
            } | null;
            warnings: string[];
        };
        Answer: {
            /** @description history id; send it to /api/feedback */
            id: string;
            question: string;
            /** @description a follow-up rewritten into a standalone question */
            standaloneQuestion?: string;
            sql: string;
            columns: components["schemas"]["ResultColumn"][];
            rows: components["schemas"]["Cell"][][];
            rowCount: number;
            /** @description true when rows were cut by the row or size limit */
            truncated: boolean;
            chart: components["schemas"]["ChartSpec"];
            /** @enum {string} */
            source: "model" | "example" | "cache";
            attempts: components["schemas"]["Attempt"][];
            model?: string;
            timings: components["schemas"]["AnswerTimings"];
            conversationId?: string;
            /** @description the trained question whose SQL was reused (source example) */
            matchedQuestion?: string;
        };
        ResultColumn: {
            name: string;
            /** @description declared type of the source column, else the storage class of the first non-null value, else "" */
            type: string;
        };
        /** @description null, a number, text (also an integer too large for a JS number, as decimal text), or a blob */
        Cell: null | number | string | components["schemas"]["BlobCell"];
        BlobCell: {
            /** @description the blob's size in bytes */
            $blob: number;
            /** @description its first bytes, base64 */
            base64Preview: string;
        };
        /** @description a declarative chart: which columns go where; rendered by the UI */
        ChartSpec: {
            /** @enum {string} */
            type: "bar" | "line" | "pie" | "scatter" | "none";
            /** @description column on the x axis (or the pie's labels) */
            x?: string;
            /** @description numeric columns plotted (the pie's values when type is pie) */
            y?: string[];
            /** @description column whose values split the data into one series each */
            series?: string;
            /** @description why this chart (or none) was chosen, in a few words */
            reason: string;
        };
        Attempt: {
            /** @enum {string} */
            kind: "generate" | "sample" | "repair";
            sql: string;
            error?: string;
            errorCode?: string;
            generationMs: number;
            promptTokens?: number;
            reusedPromptTokens?: number;
            generatedTokens?: number;
        };
        AnswerTimings: {
            retrievalMs: number;
            generationMs: number;
            executionMs: number;
            totalMs: number;
        };
        Error: {
            error: {
                /** @example INVALID_INPUT */
                code: string;
                /** @example body.question: Invalid input: expected string, received undefined */
                message: string;
                hint?: string;
                details?: {
                    [key: string]: unknown;
                };
            };
        };
        QueryRequest: {
            question: string;
            conversationId?: string;
            pageContext?: components["schemas"]["PageContext"];
        };
        /** @description From the browser extension (flag browser_extension). Untrusted: filtered by the extension.* privacy settings, redacted, and only searched for database values, never put in the model's instructions. */
        PageContext: {
            url: string;
            /** @default  */
            title?: string;
            /** @default  */
            selection?: string;
            /** @default  */
            text?: string;
            /** @default text/html */
            contentType?: string;
            /**
             * @description sent without the person choosing 'use this page' for this question
             * @default false
             */
            automatic?: boolean;
        };
        SqlResult: {
            columns: components["schemas"]["ResultColumn"][];
            rows: components["schemas"]["Cell"][][];
            rowCount: number;
            /** @description true when rows were cut by the row or size limit */
            truncated: boolean;
            chart: components["schemas"]["ChartSpec"];
            /** @enum {string} */
            truncatedBy?: "maxRows" | "maxResultBytes";
            elapsedMs: number;
        };
        SqlRequest: {
            sql: string;
            limit?: number;
        };
        Trained: {
            id: string;
            /** @enum {string} */
            training_type: "ddl" | "documentation" | "question_sql";
        };
        TrainRequest: {
            /** @enum {string} */
            training_type: "ddl" | "documentation" | "question_sql";
            content: string;
            question?: string;
        };
        KnowledgePage: {
            items: components["schemas"]["KnowledgeItem"][];
            total: number;
        };
        KnowledgeItem: {
            id: string;
            dbId: string;
            /** @enum {string} */
            kind: "ddl" | "documentation" | "question_sql";
            /** @description DDL, documentation text, or the SQL of a question/SQL pair */
            content: string;
            question?: string;
            /** @description heading of a documentation chunk, table of a DDL item */
            title?: string;
            /** @enum {string} */
            source: "schema" | "training-dir" | "user" | "feedback" | "api";
            createdAt: string;
        };
        KnowledgeRequest: {
            /** @enum {string} */
            kind: "ddl" | "documentation" | "question_sql";
            content: string;
            question?: string;
        };
        Deleted: {
            deleted: string;
        };
        HistoryList: {
            items: components["schemas"]["HistoryEntry"][];
        };
        HistoryEntry: {
            id: string;
            dbId: string;
            conversationId?: string;
            question: string;
            standaloneQuestion?: string;
            sql?: string;
            /** @enum {string} */
            source?: "model" | "example" | "cache";
            rowCount?: number;
            error?: string;
            model?: string;
            attempts: components["schemas"]["Attempt"][];
            timings?: components["schemas"]["AnswerTimings"];
            createdAt: string;
        };
        HistoryCleared: {
            /** @description how many questions were forgotten */
            deleted: number;
        };
        FeedbackRequest: {
            historyId: string;
            /** @enum {string} */
            verdict: "correct";
        } | {
            historyId: string;
            /** @enum {string} */
            verdict: "corrected";
            sql: string;
        };
        DownloadStarted: {
            /** @enum {string} */
            status: "queued" | "downloading" | "paused" | "verifying" | "completed" | "failed" | "cancelled";
            modelId: string;
            /** @description empty when the model was already installed */
            downloadId: string;
        };
        DownloadList: {
            downloads: components["schemas"]["Download"][];
        };
        ModelList: {
            models: components["schemas"]["Model"][];
            recommended: string | null;
            totalMemoryBytes: number;
            ollama: {
                url: string;
                ok: boolean;
                error?: string;
            } | null;
        };
        Model: {
            id: string;
            name: string;
            description: string;
            /** @enum {string} */
            kind: "llm" | "embedding";
            sizeBytes: number;
            parameters: number | null;
            quantization: string | null;
            tags: string[];
            license: string | null;
            recommended: boolean;
            /** @description memory the model needs to run */
            memoryBytes: number | null;
            fitsInMemory: boolean;
            installed: boolean;
            active: boolean;
            /** @description catalog | hf | url | file | ollama */
            source: string;
            download: components["schemas"]["Download"] | null;
        };
        PullRequest: {
            modelId: string;
        };
        Activated: {
            active: string;
        };
        Settings: {
            /** @description every setting's value, by key */
            settings: {
                [key: string]: unknown;
            };
            details: components["schemas"]["Setting"][];
        };
        Setting: {
            key: string;
            value?: unknown;
            default?: unknown;
            /**
             * @description where the value comes from; precedence flag (command line) > env > stored > default
             * @enum {string}
             */
            source: "default" | "stored" | "env" | "flag";
            description: string;
            /** @description what a valid value looks like */
            allowed: string;
            /** @description the environment variable that overrides it */
            env: string;
            /**
             * @description who may change it over HTTP: anyone, a caller with the server's token, or no one (the CLI only)
             * @enum {string}
             */
            http: "open" | "token" | "terminal";
            /** @description the stored value, when there is one (env or a flag may shadow it) */
            stored?: unknown;
            warning?: string;
        };
        FlagList: {
            flags: components["schemas"]["Flag"][];
        };
        Flag: {
            id: string;
            name: string;
            description: string;
            /** @description on by default for installations inside the rollout */
            defaultEnabled: boolean;
            /** @description share of installations (0–100) that get the default */
            rolloutPercentage: number;
            prerequisites: string[];
            /** @enum {string} */
            riskLevel: "low" | "medium" | "high";
            /** @enum {string} */
            phase: "development" | "alpha" | "beta" | "release_candidate" | "deprecated";
            /** @description turning it on over HTTP needs the server's token */
            needsToken?: boolean;
            enabled: boolean;
            /** @enum {string} */
            source: "default" | "rollout" | "stored";
            /** @description this installation's place (0–99) in the rollout */
            rolloutBucket: number;
            inRollout: boolean;
            /** @description flags that list this one as a prerequisite */
            dependents: string[];
            /** @description prerequisites that are off and keep this flag off */
            blockedBy: string[];
        };
        FlagUpdate: {
            flag: components["schemas"]["Flag"];
            /** @description every flag whose state moved, dependents included */
            changed: {
                id: string;
                enabled: boolean;
                previous: boolean;
            }[];
        };
        SetFlagRequest: {
            enabled: boolean;
            withPrerequisites?: boolean;
        };
        DatabaseList: {
            current: components["schemas"]["Database"];
            databases: components["schemas"]["Database"][];
        };
        SwitchDatabaseRequest: {
            path: string;
        };
        Schema: {
            fingerprint: string;
            tables: components["schemas"]["Table"][];
        };
        Table: {
            name: string;
            /** @enum {string} */
            kind: "table" | "view" | "virtual";
            columns: components["schemas"]["Column"][];
            rowCount: number | null;
        };
        Column: {
            name: string;
            type: string;
            notNull: boolean;
            /** @description position in the primary key, 0 when not part of it */
            primaryKey: number;
        };
        ExtensionPairingCode: {
            /** @example K7QM-2XRT */
            code: string;
            expiresAt: string;
        };
        ExtensionPairing: {
            connectionId: string;
            /** @description send it as X-Askdb-Credential with every request */
            credential: string;
        };
        ExtensionPairRequest: {
            code: string;
            extensionOrigin: string;
            /** @enum {string} */
            browser: "chrome" | "firefox" | "safari" | "edge" | "arc" | "other";
        };
        ExtensionConnections: {
            enabled: boolean;
            /** @description a paired extension was active in the last five minutes */
            connected: boolean;
            lastConnectionAt: string | null;
            count: number;
            supportedBrowsers: ("chrome" | "firefox" | "safari" | "edge" | "arc" | "other")[];
            protocolVersion: number;
            connections: components["schemas"]["ExtensionConnection"][];
        };
        ExtensionConnection: {
            id: string;
            origin: string;
            /** @enum {string} */
            browser: "chrome" | "firefox" | "safari" | "edge" | "arc" | "other";
            tabCount: number;
            requestCount: number;
            establishedAt: string;
            lastActivityAt: string;
        };
        Revoked: {
            revoked: string;
        };
        OpenAiModelList: {
            /** @enum {string} */
            object: "list";
            data: {
                id: string;
                /** @enum {string} */
                object: "model";
                created: number;
                owned_by: string;
            }[];
        };
        ChatCompletion: {
            id: string;
            /** @enum {string} */
            object: "chat.completion";
            created: number;
            model: string;
            choices: {
                index: number;
                message: {
                    /** @enum {string} */
                    role: "assistant";
                    content: string | null;
                    tool_calls?: {
                        id: string;
                        /**
                         * @default function
                         * @enum {string}
                         */
                        type?: "function";
                        function: {
                            name: string;
                            arguments: string;
                        };
                    }[];
                };
                /** @enum {string} */
                finish_reason: "stop" | "length" | "tool_calls";
            }[];
            usage: {
                prompt_tokens: number;
                completion_tokens: number;
                total_tokens: number;
            };
        } & {
            [key: string]: unknown;
        };
        ChatCompletionRequest: {
            model?: string;
            messages: ({
                /** @enum {string} */
                role: "system" | "developer" | "user" | "assistant" | "tool";
                content?: string | {
                    /** @enum {string} */
                    type: "text";
                    text: string;
                }[] | null;
                tool_calls?: {
                    id: string;
                    /**
                     * @default function
                     * @enum {string}
                     */
                    type?: "function";
                    function: {
                        name: string;
                        arguments: string;
                    };
                }[];
                tool_call_id?: string;
            } & {
                [key: string]: unknown;
            })[];
            temperature?: number;
            max_tokens?: number;
            max_completion_tokens?: number;
            stop?: string | string[];
            seed?: number;
            stream?: boolean;
            tools?: {
                /** @enum {string} */
                type: "function";
                function: {
                    name: string;
                    /** @default  */
                    description?: string;
                    /**
                     * @default {
                     *       "type": "object",
                     *       "properties": {}
                     *     }
                     */
                    parameters?: {
                        [key: string]: unknown;
                    };
                };
            }[];
            tool_choice?: ("none" | "auto" | "required") | ({
                /** @enum {string} */
                type: "function";
            } & {
                [key: string]: unknown;
            });
        } & {
            [key: string]: unknown;
        };
        EmbeddingResponse: {
            /** @enum {string} */
            object: "list";
            data: {
                /** @enum {string} */
                object: "embedding";
                index: number;
                embedding: number[] | string;
            }[];
            model: string;
            usage: {
                prompt_tokens: number;
                total_tokens: number;
            };
        };
        EmbeddingRequest: {
            model?: string;
            input: string | string[];
            /**
             * @description base64: little-endian float32, as the official clients ask for
             * @enum {string}
             */
            encoding_format?: "float" | "base64";
        } & {
            [key: string]: unknown;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
