import "server-only";
import { csvCell } from "@hookloop/domain";

export type CsvValue = Parameters<typeof csvCell>[0];

export type CsvDownloadOptions<Cursor> = {
  /** The file's name without the date and extension: `hookloop-contacts` → hookloop-contacts-2026-12-01.csv. */
  name: string;
  header: readonly string[];
  /** One page of rows from `after` (undefined first), and where the next starts (undefined on the last). */
  page: (after: Cursor | undefined) => Promise<{ rows: CsvValue[][]; next: Cursor | undefined }>;
};

/**
 * A CSV download streamed page by page, every cell through csvCell (no formula or control
 * characters reach a spreadsheet), and kept out of shared and browser caches: what a workspace
 * exports names people.
 */
export function csvDownload<Cursor>({ name, header, page }: CsvDownloadOptions<Cursor>): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(`${header.join(",")}\n`));
      let after: Cursor | undefined;
      do {
        const { rows, next } = await page(after);
        if (rows.length) controller.enqueue(encoder.encode(`${rows.map((row) => row.map(csvCell).join(",")).join("\n")}\n`));
        after = next;
      } while (after !== undefined);
      controller.close();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "cache-control": "private, no-store",
      "content-disposition": `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
    },
  });
}
