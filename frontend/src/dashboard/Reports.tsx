// The uploaded reports (status, warnings, errors) and, for a user with a token, the upload form.
import { useState, type FormEvent } from 'react';
import { query, recordStatus, subscribe, upload } from './api';
import { REPORT, REPORT_STATUS, REPORTS, UPLOAD, type Report, type Reports as Data } from './queries';
import { useQuery } from './useQuery';
import { formatNumber, monthLabel } from './format';
import { Label } from './Label';
import { bilingual, PREVIEW, type ReportPreview } from './preview';
import { UploadPreview } from './UploadPreview';

const STATUS_LABELS: Record<Report['status'], string> = {
  QUEUED: '待機中',
  PROCESSING: '処理中',
  SUCCEEDED: '完了',
  FAILED: '失敗',
};

function Status({ status }: { status: Report['status'] }) {
  return (
    <span className={`status status-${status.toLowerCase()}`} data-status={status}>
      <Label ja={STATUS_LABELS[status]} en={status} />
    </span>
  );
}

/** Follow a report until it is done: pushed over the WebSocket, or polled where that fails. */
async function follow(id: string, token: string | null, onUpdate: (report: Report) => void): Promise<void> {
  try {
    await subscribe<{ reportStatus: Report }>(
      REPORT_STATUS,
      { id },
      (data) => {
        recordStatus(id, data.reportStatus.status, 'socket');
        onUpdate(data.reportStatus);
      },
      token,
    );
    return;
  } catch {
    // e.g. a proxy that refuses WebSockets: poll instead.
  }
  for (;;) {
    const { report } = await query<{ report: Report }>(REPORT, { id }, token);
    recordStatus(id, report.status, 'poll');
    onUpdate(report);
    if (report.status === 'SUCCEEDED' || report.status === 'FAILED') return;
    await new Promise((wait) => setTimeout(wait, 1000));
  }
}

interface Props {
  token: string | null;
  /** Called when an upload has finished, so that the other views ask again. */
  onStored: () => void;
}

export function Reports({ token, onStored }: Props) {
  const [refresh, setRefresh] = useState(0);
  const { data, error } = useQuery<Data>(REPORTS, {}, token, refresh);
  const [progress, setProgress] = useState<number | null>(null);
  const [current, setCurrent] = useState<Report | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  // The file checked and its preview: stored only when the user confirms it.
  const [pending, setPending] = useState<{ file: File; fiscalYear: number | null } | null>(null);
  const [preview, setPreview] = useState<ReportPreview | null>(null);
  const [busy, setBusy] = useState(false);

  async function check(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    const year = String(form.get('fiscalYear') ?? '').trim();
    if (!(file instanceof File) || !file.name) return;
    const fiscalYear = year ? Number(year) : null;
    setUploadError(null);
    setPreview(null);
    setPending(null);
    setCurrent(null);
    setProgress(0);
    setBusy(true);
    try {
      const { previewReport } = await upload<{ previewReport: ReportPreview }>(
        PREVIEW,
        file,
        token,
        setProgress,
        { fiscalYear },
      );
      setPreview(previewReport);
      setPending({ file, fiscalYear });
      setProgress(null);
    } catch (error) {
      setUploadError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    setPreview(null);
    setPending(null);
    setProgress(null);
  }

  async function store() {
    if (!pending) return;
    const { file, fiscalYear } = pending;
    setPreview(null);
    setPending(null);
    setUploadError(null);
    setCurrent(null);
    setProgress(0);
    try {
      const { uploadReport } = await upload<{ uploadReport: Report }>(UPLOAD, file, token, setProgress, {
        fiscalYear,
      });
      setCurrent(uploadReport);
      setRefresh((n) => n + 1);
      await follow(uploadReport.id, token, setCurrent);
      setRefresh((n) => n + 1);
      onStored();
    } catch (error) {
      setUploadError(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <section className="panel reports" aria-label="reports">
      <h2>
        <Label ja="報告書" en="Uploaded reports" />
      </h2>
      <form className="upload" onSubmit={check} onChange={cancel}>
        {token ? (
          <>
            <label>
              <Label ja="報告書ファイル" en="Report file" />
              <input name="file" type="file" required />
            </label>
            <label>
              <Label ja="年度（ファイルに無い場合）" en="Fiscal year, if the file names none" />
              <input name="fiscalYear" type="number" min={1989} max={2200} placeholder="2026" />
            </label>
            <button type="submit" disabled={busy}>
              <Label ja="確認" en="Preview" />
            </button>
          </>
        ) : (
          <p className="hint">
            <Label ja="アップロードにはトークンを入力してください（右上）。" en="Enter the token (top right) to upload." />
          </p>
        )}
      </form>
      {preview && <UploadPreview preview={preview} busy={busy} onConfirm={store} onCancel={cancel} />}
      {progress !== null && (
        <p className="upload-state">
          <progress max={1} value={progress} /> {Math.round(progress * 100)}%
          {current && (
            <>
              {' '}
              <Label ja="報告書" en={`report ${current.number}`} />: <Status status={current.status} />
              {current.error && (
                <span className="error" title={current.error}>
                  {' '}
                  {current.errorJa || current.error}
                </span>
              )}
            </>
          )}
        </p>
      )}
      {uploadError && <p className="error">{uploadError}</p>}
      {error && <p className="error">{error}</p>}
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th>No.</th>
              <th>
                <Label ja="ファイル" en="File" />
              </th>
              <th>
                <Label ja="状態" en="Status" />
              </th>
              <th>
                <Label ja="対象" en="Months" />
              </th>
              <th>
                <Label ja="件数" en="Values" />
              </th>
              <th>
                <Label ja="警告・エラー" en="Warnings, errors" />
              </th>
            </tr>
          </thead>
          <tbody>
            {data?.reports.edges.map(({ node }) => (
              <tr key={node.id} data-report={node.number}>
                <td>{node.number}</td>
                <td>{node.filename}</td>
                <td>
                  <Status status={node.status} />
                </td>
                <td>
                  {node.fiscalYear ? `FY${node.fiscalYear} ` : ''}
                  {node.months.map(monthLabel).join('・')}
                </td>
                <td className="number">{formatNumber(node.valuesStored)}</td>
                <td>
                  {node.error && (
                    <p className="error" title={node.error}>
                      {node.errorJa || node.error}
                    </p>
                  )}
                  {node.warnings.length > 0 && (
                    <ul className="warnings">
                      {bilingual(node.warnings, node.warningsJa).map(({ ja, en }) => (
                        <li key={en} title={en}>
                          {ja}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
