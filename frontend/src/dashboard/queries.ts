// One query per view. Each is also an example of the public API: copy one into GraphiQL (/graphql).
// Every object that has an `id` (the Node types) selects it, so a normalising cache such as
// Apollo's InMemoryCache can key it with no type policies (tests/graphql/test_node_ids.py).

/** The choices: indicators with their labels, and which fiscal years and months have figures. */
export const CHOICES = `query Choices {
  indicators { id code name nameEn unit section }
  fiscalYears { fiscalYear months }
}`;

export interface Indicator {
  id: string;
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
    id
    ranking(fiscalYear: $fiscalYear, month: $month, cumulative: $cumulative) {
      rank value cumulative shareOfNational
      prefecture { id code name shortName nameEn }
    }
  }
  regions(kind: $kind) {
    id code name nameEn
    series(indicator: $indicator, fiscalYear: $fiscalYear) { total points { month value cumulative } }
  }
}`;

export interface RankedPrefecture {
  rank: number | null;
  value: number;
  cumulative: number;
  shareOfNational: number | null;
  prefecture: { id: string; code: string; name: string; shortName: string; nameEn: string };
}
export interface RegionSeries {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  series: { total: number; points: { month: number; value: number; cumulative: number }[] };
}
export interface Overview {
  indicator: { id: string; ranking: RankedPrefecture[] } | null;
  regions: RegionSeries[];
}

/** A prefecture's panel: its center, every indicator's months of the year, its case studies. */
export const PREFECTURE = `query PrefecturePanel($code: String!, $fiscalYear: Int!, $indicators: [String!]!) {
  prefecture(code: $code) {
    id code name nameEn
    area { id name nameEn }
    center { name url }
    caseStudyUrl
    caseStudies(first: 10) { totalCount edges { node { id title url industry publishedOn } } }
  }
  observations(prefecture: $code, fiscalYear: $fiscalYear, indicators: $indicators, breakdown: "total") {
    id
    indicator { id code name nameEn }
    month value cumulative rank
  }
}`;

export interface PrefecturePanel {
  prefecture: {
    id: string;
    code: string;
    name: string;
    nameEn: string;
    area: { id: string; name: string; nameEn: string };
    center: { name: string; url: string | null };
    caseStudyUrl: string | null;
    caseStudies: {
      totalCount: number;
      edges: {
        node: { id: string; title: string; url: string; industry: string | null; publishedOn: string | null };
      }[];
    };
  } | null;
  observations: {
    id: string;
    indicator: { id: string; code: string; name: string; nameEn: string | null };
    month: number;
    value: number;
    cumulative: number;
    rank: number | null;
  }[];
}

const REPORT_FIELDS =
  'id number filename status uploadedAt fiscalYear months valuesStored warnings warningsJa error errorJa';

/** The uploaded reports, newest first: the first page of the connection. */
export const REPORTS = `query Reports {
  reports(first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${REPORT_FIELDS} } }
  }
}`;

export interface Report {
  /** Global id (Node): the cache's key and what `report(id:)` takes. */
  id: string;
  /** The number people see (1, 2, …), as the CLI prints it. */
  number: number;
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
  reports: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: Report }[];
  };
}

/** Upload a report (multipart request; needs the bearer token). */
export const UPLOAD = `mutation Upload($file: Upload!, $fiscalYear: Int) {
  uploadReport(file: $file, fiscalYear: $fiscalYear) { ${REPORT_FIELDS} }
}`;

/** The report's status, pushed by the server until it is SUCCEEDED or FAILED. */
export const REPORT_STATUS = `subscription ReportStatus($id: ID!) { reportStatus(id: $id) { ${REPORT_FIELDS} } }`;

/** The same, asked for again and again where a WebSocket is not possible. */
export const REPORT = `query Report($id: ID!) { report(id: $id) { ${REPORT_FIELDS} } }`;
