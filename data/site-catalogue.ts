// The demo's key sites (重点场所): how many of each category, where they tend to be, and their
// names, addresses, opening hours and responsible units, all deterministic for a seed.
import type { OpeningHours, SiteCategory } from '../server/contracts/sites.ts';
import { randomFor, type Random } from './demo-random.ts';

/**
 * population: in proportion to residents; central: residents, more so near the centre;
 * suburban: in proportion to land area, more so away from the centre.
 */
export type Placement = 'population' | 'central' | 'suburban';

export const siteQuota: Readonly<Record<SiteCategory, { count: number; placement: Placement }>> = {
  construction_site: { count: 2600, placement: 'suburban' },
  live_poultry_market: { count: 120, placement: 'suburban' },
  slaughterhouse: { count: 60, placement: 'suburban' },
  cold_storage: { count: 500, placement: 'suburban' },
  farmers_market: { count: 1500, placement: 'population' },
  supermarket: { count: 4200, placement: 'population' },
  school: { count: 1700, placement: 'population' },
  kindergarten: { count: 1600, placement: 'population' },
  elderly_home: { count: 750, placement: 'population' },
  hotel: { count: 3000, placement: 'central' },
  quarantine_hotel: { count: 80, placement: 'population' },
  fever_clinic: { count: 120, placement: 'population' },
  transport_hub: { count: 30, placement: 'population' },
  government_office: { count: 1400, placement: 'population' },
  entertainment_venue: { count: 2340, placement: 'central' },
};

/** Real hubs, WGS-84 (approximate positions); the rest of the transport quota is bus/metro interchanges. */
export const realTransportHubs: ReadonlyArray<{ name: string; address: string; lon: number; lat: number; allDay: boolean }> = [
  { name: '上海浦东国际机场', address: '上海市浦东新区启航路900号', lon: 121.8053, lat: 31.1443, allDay: true },
  { name: '上海虹桥国际机场', address: '上海市长宁区虹桥路2550号', lon: 121.3364, lat: 31.1979, allDay: true },
  { name: '上海虹桥站', address: '上海市闵行区申贵路1500号', lon: 121.3206, lat: 31.1944, allDay: false },
  { name: '上海站', address: '上海市静安区秣陵路303号', lon: 121.4556, lat: 31.2497, allDay: false },
  { name: '上海南站', address: '上海市徐汇区沪闵路9001号', lon: 121.4296, lat: 31.1548, allDay: false },
  { name: '上海西站', address: '上海市普陀区桃浦路1号', lon: 121.4010, lat: 31.2630, allDay: false },
  { name: '上海松江站', address: '上海市松江区玉树路1号', lon: 121.2337, lat: 30.9905, allDay: false },
  { name: '吴淞口国际邮轮码头', address: '上海市宝山区宝杨路1号', lon: 121.5018, lat: 31.3998, allDay: false },
];

type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
const days: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
type Span = [string, string];

function weekly(weekday: Span[], weekend: Span[] = weekday): OpeningHours {
  const hours: Partial<Record<Day, Span[]>> = {};
  for (const day of days) hours[day] = day === 'sat' || day === 'sun' ? weekend : weekday;
  return hours as OpeningHours;
}
const allDay: Span[] = [['00:00', '24:00']];

const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const givenChars = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅建国建华志强海燕丹玲晨宇浩然子轩雨欣佳怡思远俊杰文博晓东春华秋菊德明荣根雪琴慧敏国庆立新卫东'.split('');
const roads = ['人民路', '中山路', '解放路', '建设路', '和平路', '新华路', '文化路', '胜利路', '复兴路', '光明路', '跃进路', '团结路', '育才路', '园林路', '学府路', '沪南公路', '沪太路', '曹安公路', '川沙路', '浦星公路'];
const contractors = ['上海建工一建集团有限公司', '上海建工二建集团有限公司', '上海建工四建集团有限公司', '上海建工五建集团有限公司', '中国建筑第八工程局有限公司', '上海宝冶集团有限公司', '中铁十五局集团有限公司', '上海城建市政工程（集团）有限公司', '中交第三航务工程局有限公司', '上海隧道工程有限公司'];
const supermarkets = ['联华超市', '世纪联华', '华联超市', '家乐福', '大润发', '盒马鲜生', '永辉超市', '好德便利', '快客便利', '全家便利店', '罗森便利店', '乐购超市'];
const hotels = ['锦江之星', '如家酒店', '汉庭酒店', '全季酒店', '7天连锁酒店', '亚朵酒店', '维也纳酒店', '莫泰酒店', '桔子酒店', '城市便捷酒店'];
const constructionKinds = ['住宅', '保障性住房', '商办', '学校', '地铁车站', '道路改建', '产业园', '医院扩建', '市政管网'];

export interface SitePoint {
  ord: number;
  category: SiteCategory;
  districtName: string;
  streetName: string;
  communityName: string;
}

export interface SiteAttributes {
  name: string;
  address: string;
  openingHours: OpeningHours;
  responsibleUnit: string;
  responsiblePerson: string;
  responsiblePhone: string;
}

const stemOf = (name: string): string => name.replace(/(街道|新镇|镇|乡|社区居委会|居委会|村委会|虚拟社区|虚拟生活区)$/, '').replace(/村$/, '') || name;

function personName(random: Random): string {
  return random.pick(surnames) + random.pick(givenChars) + (random.next() < 0.6 ? random.pick(givenChars) : '');
}
function phone(random: Random): string {
  return `1${random.pick(['3', '5', '7', '8', '9'])}${String(random.int(0, 999_999_999)).padStart(9, '0')}`;
}

/** Name, address, hours and responsibility of one generated site: a pure function of the point and seed. */
export function describeSite(point: SitePoint, seed: number): SiteAttributes {
  const random = randomFor(`site:${point.ord}:${point.category}`, seed);
  const street = stemOf(point.streetName);
  const community = stemOf(point.communityName);
  const district = point.districtName;
  const ownRoad = street.endsWith('路') ? street : `${street}路`;
  const road = random.next() < 0.5 ? ownRoad : random.pick(roads);
  const address = `上海市${district}${point.streetName}${road}${random.int(1, 1999)}号`;
  const person = personName(random);
  const tel = phone(random);
  const base = { address, responsiblePerson: person, responsiblePhone: tel };
  switch (point.category) {
    case 'construction_site': {
      const contractor = random.pick(contractors);
      return { ...base, name: `${street}${random.pick(constructionKinds)}项目（${random.int(1, 30)}号地块）工地`, responsibleUnit: contractor, openingHours: weekly([['07:00', '12:00'], ['13:00', '18:00']], [['08:00', '17:00']]) };
    }
    case 'live_poultry_market':
      return { ...base, name: `${street}活禽交易市场`, responsibleUnit: `上海${street}农副产品市场经营管理有限公司`, openingHours: weekly([['05:00', '12:00']]) };
    case 'slaughterhouse':
      return { ...base, name: `${street}生猪定点屠宰场`, responsibleUnit: `上海${street}肉类食品有限公司`, openingHours: weekly([['00:00', '06:00'], ['20:00', '24:00']]) };
    case 'cold_storage':
      return { ...base, name: `${street}冷链物流中心${random.int(1, 9)}号冷库`, responsibleUnit: `上海${street}冷链物流有限公司`, openingHours: weekly(allDay) };
    case 'farmers_market':
      return { ...base, name: `${community}菜市场`, responsibleUnit: `${district}${street}菜市场管理有限公司`, openingHours: weekly([['05:30', '12:00'], ['15:00', '19:00']]) };
    case 'supermarket': {
      const brand = random.pick(supermarkets);
      const convenience = brand.includes('便利');
      return { ...base, name: `${brand}（${community}店）`, responsibleUnit: `${brand}${district}区域公司`, openingHours: weekly(convenience ? allDay : [['07:00', '22:00']]) };
    }
    case 'school': {
      const kind = random.pick(['小学', '中学', '实验学校', '初级中学', '高级中学']);
      const name = `上海市${district}${street}${kind}`;
      return { ...base, name, responsibleUnit: name, openingHours: weekly([['07:30', '17:00']], []) };
    }
    case 'kindergarten': {
      const name = `${street}${community === street ? '' : community}幼儿园`;
      return { ...base, name, responsibleUnit: name, openingHours: weekly([['07:45', '17:00']], []) };
    }
    case 'elderly_home': {
      const name = `${street}${random.pick(['敬老院', '养老院', '社区养老服务中心', '颐养院', '长者照护之家'])}`;
      return { ...base, name, responsibleUnit: `${district}民政局`, openingHours: weekly(allDay) };
    }
    case 'hotel': {
      const brand = random.pick(hotels);
      return { ...base, name: `${brand}（${street}${community === street ? '' : community}店）`, responsibleUnit: `${brand}上海管理公司`, openingHours: weekly(allDay) };
    }
    case 'quarantine_hotel': {
      const brand = random.pick(hotels);
      return { ...base, name: `${brand}（${street}店）集中隔离点`, responsibleUnit: `${district}疫情防控工作领导小组办公室`, openingHours: weekly(allDay) };
    }
    case 'fever_clinic': {
      const name = `${district.replace(/新区$|区$/, '')}${random.pick(['区中心医院', '区人民医院', '区中医医院', `${street}社区卫生服务中心`])}发热门诊`;
      return { ...base, name, responsibleUnit: `${district}卫生健康委员会`, openingHours: weekly(allDay) };
    }
    case 'transport_hub':
      return { ...base, name: `${street}${random.pick(['公交枢纽站', '地铁站', '长途客运站'])}`, responsibleUnit: `${district}交通委员会`, openingHours: weekly([['05:00', '24:00']]) };
    case 'government_office': {
      const office = random.next() < 0.3
        ? `${point.streetName}${point.streetName.endsWith('街道') ? '办事处' : '人民政府'}`
        : `${street}${random.pick(['市场监管所', '城管执法中队', '派出所', '社区事务受理服务中心', '卫生监督所', '司法所'])}`;
      return { ...base, name: office, responsibleUnit: `${district}人民政府`, openingHours: weekly([['09:00', '12:00'], ['13:30', '17:30']], []) };
    }
    case 'entertainment_venue': {
      const ktv = random.next() < 0.55;
      return ktv
        ? { ...base, name: `${random.pick(['好乐迪', '钱柜', '纯K', '温莎', '星聚会'])}KTV（${street}店）`, responsibleUnit: `${district}文化和旅游局`, openingHours: weekly([['00:00', '02:00'], ['18:00', '24:00']]) }
        : { ...base, name: `${community}${random.pick(['网吧', '网咖', '电竞馆'])}`, responsibleUnit: `${district}文化和旅游局`, openingHours: weekly([['08:00', '24:00']]) };
    }
  }
}
