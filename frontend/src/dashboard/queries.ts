// One query per view. Each is also an example of the public API: copy one into GraphiQL (/graphql).

/** The choices: indicators with their labels, and which fiscal years and months have figures. */
export const CHOICES = `query Choices {
  indicators { code name nameEn unit section }
  fiscalYears { fiscalYear months }
}`;

export interface Indicator {
  code: string;
  name: string;
  nameEn: string | null;
  unit: string;
  section: 'ONE_STOP' | 'PRODUCTIVITY';
}
export interface Choices {
  indicators: Indicator[];
  fiscalYears: { fiscalYear: number; months: number[] }[];
}

/** The overview: the 47 ranked (drawn as the map and the ranking) and the regions' monthly series. */
export const OVERVIEW = `query Overview(
  $indicator: String!, $fiscalYear: Int!, $month: Int!, $cumulative: Boolean!, $kind: RegionKind!
) {
  indicator(code: $indicator) {
    ranking(fiscalYear: $fiscalYear, month: $month, cumulative: $cumulative) {
      rank value cumulative shareOfNational
      prefecture { code name shortName nameEn }
    }
  }
  regions(kind: $kind) {
    code name nameEn
    series(indicator: $indicator, fiscalYear: $fiscalYear) { total points { month value cumulative } }
  }
}`;

export interface RankedPrefecture {
  rank: number | null;
  value: number;
  cumulative: number;
  shareOfNational: number | null;
  prefecture: { code: string; name: string; shortName: string; nameEn: string };
}
export interface RegionSeries {
  code: string;
  name: string;
  nameEn: string;
  series: { total: number; points: { month: number; value: number; cumulative: number }[] };
}
export interface Overview {
  indicator: { ranking: RankedPrefecture[] } | null;
  regions: RegionSeries[];
}

/** A prefecture's panel: its center, every indicator's months of the year, its case studies. */
export const PREFECTURE = `query PrefecturePanel($code: String!, $fiscalYear: Int!, $indicators: [String!]!) {
  prefecture(code: $code) {
    code name nameEn
    area { name nameEn }
    center { name url }
    caseStudyUrl
    caseStudies(first: 10) { totalCount edges { node { title url industry publishedOn } } }
  }
  observations(prefecture: $code, fiscalYear: $fiscalYear, indicators: $indicators, breakdown: "total") {
    indicator { code name nameEn }
    month value cumulative rank
  }
}`;

export interface PrefecturePanel {
  prefecture: {
    code: string;
    name: string;
    nameEn: string;
    area: { name: string; nameEn: string };
    center: { name: string; url: string | null };
    caseStudyUrl: string | null;
    caseStudies: {
      totalCount: number;
      edges: { node: { title: string; url: string; industry: string | null; publishedOn: string | null } }[];
    };
  } | null;
  observations: {
    indicator: { code: string; name: string; nameEn: string | null };
    month: number;
    value: number;
    cumulative: number;
    rank: number | null;
  }[];
}

const REPORT_FIELDS =
  'id filename status uploadedAt fiscalYear months valuesStored warnings warningsJa error errorJa';

/** The uploaded reports, newest first. */
export const REPORTS = `query Reports { reports(first: 20) { totalCount edges { node { ${REPORT_FIELDS} } } } }`;

export interface Report {
  id: string;
  filename: string;
  status: 'QUEUED' | 'PROCESSING' | 'SUCCEEDED' | 'FAILED';
  uploadedAt: string;
  fiscalYear: number | null;
  months: number[];
  valuesStored: number;
  warnings: string[];
  warningsJa: string[];
  error: string | null;
  errorJa: string | null;
}
export interface Reports {
  reports: { totalCount: number; edges: { node: Report }[] };
}

/** Upload a report (multipart request; needs the bearer token). */
export const UPLOAD = `mutation Upload($file: Upload!, $fiscalYear: Int) {
  uploadReport(file: $file, fiscalYear: $fiscalYear) { ${REPORT_FIELDS} }
}`;

/** The report's status, pushed by the server until it is SUCCEEDED or FAILED. */
export const REPORT_STATUS = `subscription ReportStatus($id: ID!) { reportStatus(id: $id) { ${REPORT_FIELDS} } }`;

/** The same, asked for again and again where a WebSocket is not possible. */
export const REPORT = `query Report($id: ID!) { report(id: $id) { ${REPORT_FIELDS} } }`;
