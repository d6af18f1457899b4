// An area code input that suggests areas by name or code (the areas search, within the admin's
// jurisdiction) and names the area the code denotes.
import { useDeferredValue, useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { areaSearchQuery } from '../areas/api.ts';
import { areaName, useLanguage } from '../../lib/i18n.ts';

export function AreaField({ label, value, onChange, testId }: { label: string; value: string; onChange: (code: string) => void; testId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const listId = useId();
  const text = useDeferredValue(value.trim());
  const search = useQuery(areaSearchQuery(text));
  const items = search.data?.items ?? [];
  const match = items.find((item) => item.code === text);
  return (
    <label className="field">
      {label}
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        list={listId}
        required
        autoComplete="off"
        placeholder={t('admin.areaPlaceholder')}
        aria-describedby={`${listId}-name`}
        data-testid={testId}
      />
      <datalist id={listId}>
        {items.map((item) => (
          <option key={item.code} value={item.code}>{`${areaName(item, language)} · ${t(`level.${item.level}`)}`}</option>
        ))}
      </datalist>
      <span id={`${listId}-name`} className="hint" data-testid={`${testId}-name`}>
        {match ? `${areaName(match, language)} · ${t(`level.${match.level}`)}` : text && !search.isFetching ? t('admin.areaUnknown') : ' '}
      </span>
    </label>
  );
}
