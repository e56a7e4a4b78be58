import { GeneralErrorBoundary } from "~/components/error-boundary";

export const handle = { hydrate: false };

/** Any address no other route answers: a friendly 404 inside the site's layout. */
export function loader() {
  throw new Response("Không tìm thấy trang này", { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
