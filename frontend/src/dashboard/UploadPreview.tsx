// What an upload would store, shown before the user confirms it: tables, months, warnings, changes.
import { formatNumber, monthLabel } from './format';
import { Label } from './Label';
import { bilingual, type ReportPreview } from './preview';

interface Props {
  preview: ReportPreview;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function UploadPreview({ preview, busy, onConfirm, onCancel }: Props) {
  const failed = preview.error !== null;
  return (
    <div className="upload-preview" aria-label="preview" data-outcome={failed ? 'error' : 'ok'}>
      <h3>
        <Label ja="アップロード前の確認" en="Preview (nothing stored yet)" />
      </h3>
      {failed ? (
        <p className="error preview-error" title={preview.error ?? undefined}>
          {preview.errorJa || preview.error}
        </p>
      ) : (
        <>
          <p className="preview-summary">
            {preview.title} FY{preview.fiscalYear} {preview.months.map(monthLabel).join('・')}:{' '}
            <Label
              ja={`${preview.tables.length}表・${formatNumber(preview.valueCount)}件`}
              en={`${preview.tables.length} tables, ${preview.valueCount} values`}
            />
          </p>
          <details>
            <summary>
              <Label ja="認識した表" en="Tables recognised" />
            </summary>
            <ul className="preview-tables">
              {preview.tables.map((table) => (
                <li key={table.indicatorCode} data-indicator={table.indicatorCode}>
                  {table.title} → <code>{table.indicatorCode}</code> {formatNumber(table.valueCount)}件
                </li>
              ))}
            </ul>
          </details>
          {preview.changes.length === 0 ? (
            <p className="preview-changes">
              <Label ja="既存の数値の変更なし" en="No stored figure changes" />
            </p>
          ) : (
            <table className="preview-changes">
              <caption>
                <Label ja={`変更される数値（${preview.changes.length}件）`} en="Stored figures it changes" />
              </caption>
              <tbody>
                {preview.changes.map((change) => (
                  <tr key={`${change.indicator.code}/${change.prefecture.code}/${change.month}/${change.breakdown}`}>
                    <td>{change.indicator.name}</td>
                    <td>{change.prefecture.name}</td>
                    <td>
                      FY{change.fiscalYear} {monthLabel(change.month)}
                    </td>
                    <td className="number">
                      {formatNumber(change.oldValue)} → {formatNumber(change.newValue)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {preview.warnings.length > 0 && (
        <ul className="warnings">
          {bilingual(preview.warnings, preview.warningsJa).map(({ ja, en }) => (
            <li key={en} title={en}>
              {ja}
            </li>
          ))}
        </ul>
      )}
      {preview.existingReport && (
        <p className="hint">
          <Label
            ja={`同じファイルは報告書${preview.existingReport.id}として登録済みです。`}
            en={`Already uploaded as report ${preview.existingReport.id}.`}
          />
        </p>
      )}
      <p className="preview-actions">
        <button type="button" onClick={onConfirm} disabled={failed || busy}>
          <Label ja="アップロード" en="Upload" />
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          <Label ja="取り消し" en="Cancel" />
        </button>
      </p>
    </div>
  );
}
