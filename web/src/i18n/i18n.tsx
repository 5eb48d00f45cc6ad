import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { formatDate, formatDateTime, formatDays, formatInteger, formatMoney, pickLang, type Lang } from '../format';
import { en, fr, type MessageKey } from './messages';

const LANG_STORAGE = 'ledgerbridge.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, fr };

/** Fills `{name}` placeholders. */
export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`)) : text;
}

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** Translation when the key exists, else the raw text (API enums such as bucket names or statuses). */
  tOr(key: string, fallback: string): string;
  money(minor: number | string | null | undefined, currency: string): string;
  date(iso: string | null | undefined): string;
  dateTime(iso: string | null | undefined): string;
  days(n: number | string | null | undefined): string;
  int(n: number | string | null | undefined): string;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => pickLang(navigator.languages, localStorage.getItem(LANG_STORAGE)));
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(LANG_STORAGE, l);
    document.documentElement.lang = l;
    setLangState(l);
  }, []);
  document.documentElement.lang = lang;
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      tOr: (key, fallback) => (key in en ? translate(lang, key as MessageKey) : fallback),
      money: (minor, currency) => formatMoney(minor, currency, lang),
      date: (iso) => formatDate(iso, lang),
      dateTime: (iso) => formatDateTime(iso, lang),
      days: (n) => formatDays(n, lang),
      int: (n) => formatInteger(n, lang),
    }),
    [lang, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
