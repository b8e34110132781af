// Sample Bun worker at /api: an in-memory CRUD JSON API over /items, and /bench for load tests.
import { serveWorker } from "@tqserver/worker";
import { ItemStore } from "./items";

/** Text of GET /; the reload benchmark edits it and waits for the new text. */
const GREETING = "TQServer sample API on Bun";

const store = new ItemStore();
const benchBody = JSON.stringify({ ok: true, runtime: "bun" });

serveWorker({
  routes: {
    "/": () => Response.json({ message: GREETING, endpoints: ["/items", "/items/:id", "/bench"] }),
    "/bench": () => new Response(benchBody, { headers: { "Content-Type": "application/json" } }),
    "/items": {
      GET: () => Response.json(store.list()),
      POST: async (request: Request) => {
        const fields = await readObject(request);
        if (fields instanceof Response) {
          return fields;
        }
        return Response.json(store.create(fields), { status: 201 });
      },
    },
    "/items/:id": {
      GET: (request) => {
        const item = store.get(itemId(request));
        return item ? Response.json(item) : notFound(request);
      },
      PUT: async (request) => {
        const fields = await readObject(request);
        if (fields instanceof Response) {
          return fields;
        }
        const item = store.replace(itemId(request), fields);
        return item ? Response.json(item) : notFound(request);
      },
      DELETE: (request) =>
        store.delete(itemId(request)) ? new Response(null, { status: 204 }) : notFound(request),
    },
  },
});

function itemId(request: { params: { id: string } }): number {
  const id = Number(request.params.id);
  return Number.isSafeInteger(id) ? id : -1;
}

function notFound(request: { params: { id: string } }): Response {
  return Response.json({ error: `item not found: ${request.params.id}` }, { status: 404 });
}

/** Reads a JSON object body, or returns the 400 response that explains why it is invalid. */
async function readObject(request: Request): Promise<Record<string, unknown> | Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: "invalid JSON body" }, { status: 400 });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return Response.json({ error: "expected a JSON object body" }, { status: 400 });
  }
  return body as Record<string, unknown>;
}
