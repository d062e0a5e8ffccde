// ANY /api/v1 and /api/v1/* — unknown API paths answer JSON 404 instead of the HTML not-found
// page; OPTIONS too, since Next's own would answer 204 and name every method as allowed.
import { json } from "@/lib/http/api-route";

const notFound = async () => json({ detail: "Not Found" }, 404);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };
