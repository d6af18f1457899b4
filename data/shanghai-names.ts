// English names for Shanghai's divisions: districts by their official English names, streets,
// towns and committees in pinyin with an English generic ("Lujiazui Subdistrict", "X Town").

/** Official English names and the 2020 (7th) national census resident population of each district. */
export const districtInfo: Readonly<Record<string, { name: string; nameEn: string; population: number }>> = {
  '310101': { name: '黄浦区', nameEn: 'Huangpu District', population: 662_030 },
  '310104': { name: '徐汇区', nameEn: 'Xuhui District', population: 1_113_078 },
  '310105': { name: '长宁区', nameEn: 'Changning District', population: 693_051 },
  '310106': { name: '静安区', nameEn: "Jing'an District", population: 975_707 },
  '310107': { name: '普陀区', nameEn: 'Putuo District', population: 1_239_076 },
  '310109': { name: '虹口区', nameEn: 'Hongkou District', population: 757_498 },
  '310110': { name: '杨浦区', nameEn: 'Yangpu District', population: 1_242_548 },
  '310112': { name: '闵行区', nameEn: 'Minhang District', population: 2_653_489 },
  '310113': { name: '宝山区', nameEn: 'Baoshan District', population: 2_235_218 },
  '310114': { name: '嘉定区', nameEn: 'Jiading District', population: 1_834_258 },
  '310115': { name: '浦东新区', nameEn: 'Pudong New Area', population: 5_681_512 },
  '310116': { name: '金山区', nameEn: 'Jinshan District', population: 822_776 },
  '310117': { name: '松江区', nameEn: 'Songjiang District', population: 1_909_713 },
  '310118': { name: '青浦区', nameEn: 'Qingpu District', population: 1_271_424 },
  '310120': { name: '奉贤区', nameEn: 'Fengxian District', population: 1_140_872 },
  '310151': { name: '崇明区', nameEn: 'Chongming District', population: 637_921 },
};

// Development zones and parks whose English names are established rather than pinyin.
const fixedNames: Readonly<Record<string, string>> = {
  '310104501': 'Caohejing Hi-Tech Park',
  '310112501': 'Xinzhuang Industrial Zone',
  '310113501': 'Baoshan Industrial Park',
  '310114501': 'Jiading Industrial Zone',
  '310115501': 'China (Shanghai) Pilot Free Trade Zone (Bonded Area)',
  '310115502': 'Jinqiao Economic and Technological Development Zone',
  '310115503': 'Zhangjiang Hi-Tech Park',
  '310116503': 'Shanghai Bay Area Hi-Tech Industrial Development Zone',
  '310117501': 'Songjiang Industrial Zone',
  '310117504': 'Sheshan Resort',
  '310117507': 'Songjiang Export Processing Zone',
  '310120503': 'Haiwan Tourist Zone',
  '310151501': 'SIIC Modern Agricultural Park',
};

// Longest suffix first: the generic part of a name and its English rendering.
const generics: ReadonlyArray<readonly [string, string]> = [
  ['虚拟社区', 'Virtual Community'],
  ['虚拟生活区', 'Virtual Residential Area'],
  ['社区居委会', 'Community'],
  ['社区居民委员会', 'Community'],
  ['村村委会', 'Village'],
  ['村民委员会', 'Village'],
  ['居委会', "Residents' Committee"],
  ['家委会', 'Family Committee'],
  ['村委会', 'Village'],
  ['街道', 'Subdistrict'],
  ['工业区', 'Industrial Zone'],
  ['开发区', 'Development Zone'],
  ['新区', 'New Area'],
  ['农场', 'Farm'],
  ['林场', 'Forest Farm'],
  ['园区', 'Park'],
  ['社区', 'Community'],
  ['镇', 'Town'],
  ['乡', 'Township'],
];

export type PinyinOf = (text: string) => string[];

/** "陆家嘴" → "Lujiazui", "静安" → "Jing'an"; non-Chinese characters are kept. */
export function toPinyin(text: string, pinyinOf: PinyinOf): string {
  // Full-width punctuation becomes ASCII: "田林一、二村" → "Tianlinyi-ercun".
  const syllables = pinyinOf(text.replaceAll('（', '(').replaceAll('）', ')').replaceAll('、', '-').replaceAll('，', ','));
  let out = '';
  for (const syllable of syllables) {
    const s = syllable.toLowerCase().replaceAll('ü', 'v').replaceAll('v', 'ü');
    // An apostrophe marks a syllable that starts with a vowel inside a word (Xi'an, Jing'an).
    if (out !== '' && /^[aeo]/.test(s) && /[a-zü]$/.test(out)) out += "'";
    out += s;
  }
  return out.charAt(0).toUpperCase() + out.slice(1);
}

export function englishName(code: string, name: string, pinyinOf: PinyinOf): string {
  const fixed = fixedNames[code];
  if (fixed) return fixed;
  for (const [suffix, english] of generics) {
    if (name.endsWith(suffix) && name.length > suffix.length) {
      const stem = name.slice(0, -suffix.length);
      const zone = fixedNames[code.slice(0, 9)];
      return `${zone ?? toPinyin(stem, pinyinOf)} ${english}`;
    }
  }
  return toPinyin(name, pinyinOf);
}
