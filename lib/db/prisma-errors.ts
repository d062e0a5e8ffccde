/**
 * Prisma's known request errors by code. Checked by name and code, not instanceof: the
 * SQLite and PostgreSQL clients are generated separately and each has its own class.
 */
function hasPrismaCode(error: unknown, code: string): boolean {
  return (
    (error as { name?: string } | null)?.name === "PrismaClientKnownRequestError" &&
    (error as { code?: string }).code === code
  );
}

/** A unique index refused the row (P2002). */
export const isUniqueViolation = (error: unknown) => hasPrismaCode(error, "P2002");

/** The row to update or delete does not exist (P2025). */
export const isRecordNotFound = (error: unknown) => hasPrismaCode(error, "P2025");
