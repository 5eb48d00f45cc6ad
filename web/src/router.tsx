import { createContext, useContext, useEffect, useState, type MouseEvent, type ReactNode } from 'react';

/** A minimal history router under /app (the service answers index.html for every /app/* path). */
export const BASE = '/app';

export interface Location {
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  const raw = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  return { path: raw.replace(/\/+$/, '') || '/', query: new URLSearchParams(window.location.search) };
}

const Ctx = createContext<{ loc: Location; navigate(to: string): void } | null>(null);

export function RouterProvider({ children }: { children: ReactNode }) {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const onPop = () => setLoc(current());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = (to: string) => {
    window.history.pushState(null, '', `${BASE}${to}`);
    setLoc(current());
    window.scrollTo(0, 0);
  };
  return <Ctx.Provider value={{ loc, navigate }}>{children}</Ctx.Provider>;
}

export function useRouter() {
  const v = useContext(Ctx);
  if (!v) throw new Error('useRouter outside RouterProvider');
  return v;
}

/** A real link (keyboard, middle-click) that navigates without reloading. */
export function Link({ to, children, className, current: isCurrent }: { to: string; children: ReactNode; className?: string; current?: boolean }) {
  const { navigate } = useRouter();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={`${BASE}${to}`} onClick={onClick} className={className} aria-current={isCurrent ? 'page' : undefined}>
      {children}
    </a>
  );
}
