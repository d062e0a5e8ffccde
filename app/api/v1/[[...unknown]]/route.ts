// ANY /api/v1 and /api/v1/* — unknown API paths answer JSON 404 instead of the HTML not-found
// page; OPTIONS too, since Next's own would answer 204 and name every method as allowed.
import { errorJson } from "@/lib/http/api-route";

const notFound = async () => errorJson(404, "not_found", "Not Found");

export {
  notFound as GET,
  notFound as POST,
  notFound as PUT,
  notFound as PATCH,
  notFound as DELETE,
  notFound as OPTIONS,
};
