// The upload preview (確認): what a file would store, asked for before the upload itself.

/** Check a file before storing it (multipart request; needs the bearer token); stores nothing. */
export const PREVIEW = `mutation Preview($file: Upload!, $fiscalYear: Int) {
  previewReport(file: $file, fiscalYear: $fiscalYear) {
    filename error errorJa title fiscalYear months valueCount warnings warningsJa
    tables { indicatorCode title name valueCount months }
    changes { indicator { code name } prefecture { code name } fiscalYear month breakdown oldValue newValue }
    existingReport { id status }
  }
}`;

export interface PreviewChange {
  indicator: { code: string; name: string };
  prefecture: { code: string; name: string };
  fiscalYear: number;
  month: number;
  breakdown: string;
  oldValue: number;
  newValue: number;
}

export interface ReportPreview {
  filename: string;
  error: string | null;
  errorJa: string | null;
  title: string | null;
  fiscalYear: number | null;
  months: number[];
  valueCount: number;
  warnings: string[];
  warningsJa: string[];
  tables: { indicatorCode: string; title: string; name: string; valueCount: number; months: number[] }[];
  changes: PreviewChange[];
  existingReport: { id: string; status: string } | null;
}

/** Each message in Japanese with its English beside it (the Japanese missing: the English alone). */
export function bilingual(english: string[], japanese: string[]): { ja: string; en: string }[] {
  return english.map((en, index) => ({ ja: japanese[index] || en, en }));
}
