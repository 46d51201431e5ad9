// The tile-grid map of Japan (タイルグリッドマップ): one square per prefecture, keyed by JIS code.
// [column, row] on a 13 × 12 grid; Hokkaido top right, Okinawa bottom left, as Japanese data
// journalism draws it.
export const TILES: Record<string, [number, number]> = {
  '01': [12, 0], // 北海道
  '02': [12, 1], // 青森
  '05': [11, 2], // 秋田
  '03': [12, 2], // 岩手
  '06': [11, 3], // 山形
  '04': [12, 3], // 宮城
  '17': [8, 4], // 石川
  '16': [9, 4], // 富山
  '15': [10, 4], // 新潟
  '07': [11, 4], // 福島
  '18': [7, 5], // 福井
  '21': [8, 5], // 岐阜
  '20': [9, 5], // 長野
  '10': [10, 5], // 群馬
  '09': [11, 5], // 栃木
  '08': [12, 5], // 茨城
  '32': [3, 6], // 島根
  '31': [4, 6], // 鳥取
  '28': [5, 6], // 兵庫
  '26': [6, 6], // 京都
  '25': [7, 6], // 滋賀
  '23': [8, 6], // 愛知
  '19': [9, 6], // 山梨
  '11': [10, 6], // 埼玉
  '13': [11, 6], // 東京
  '12': [12, 6], // 千葉
  '35': [2, 7], // 山口
  '34': [3, 7], // 広島
  '33': [4, 7], // 岡山
  '27': [5, 7], // 大阪
  '29': [6, 7], // 奈良
  '24': [7, 7], // 三重
  '22': [9, 7], // 静岡
  '14': [11, 7], // 神奈川
  '41': [0, 8], // 佐賀
  '40': [1, 8], // 福岡
  '44': [2, 8], // 大分
  '38': [4, 8], // 愛媛
  '37': [5, 8], // 香川
  '30': [6, 8], // 和歌山
  '42': [0, 9], // 長崎
  '43': [1, 9], // 熊本
  '45': [2, 9], // 宮崎
  '39': [4, 9], // 高知
  '36': [5, 9], // 徳島
  '46': [1, 10], // 鹿児島
  '47': [0, 11], // 沖縄
};

export const COLUMNS = 13;
export const ROWS = 12;

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 2 });

/** A tile's value in at most four characters, for tiles too small for the full number: 987, 1.2K, 35K.
 * Below 1,000 the number is exact; above, two significant digits. */
export function compactNumber(value: number): string {
  return Math.abs(value) < 1000 ? String(value) : compact.format(value);
}
