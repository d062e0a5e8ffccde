import { alertText } from "./styles";

/** A failure of the section it stands in, announced as it appears; nothing when there is none. */
export function AlertLine({ message, id }: { message: string | null; id?: string }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className={alertText}>
      {message}
    </p>
  );
}
