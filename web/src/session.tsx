import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { onSignedOut, request, storeKey, storedKey } from './api/client';
import { can, type Capability, type Role } from './roles';

export interface Me {
  tenant: { id: string; name: string; timezone: string };
  key: { id: string; name: string; prefix: string; role: Role };
  role: Role;
}

interface SessionValue {
  me: Me | null;
  /** Why the user is on the sign-in page, when it is not the first visit. */
  signedOutReason: 'expired' | null;
  checking: boolean;
  signIn(key: string): Promise<boolean>;
  signOut(): void;
  can(capability: Capability): boolean;
}

const Ctx = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => !!storedKey());
  const [signedOutReason, setReason] = useState<'expired' | null>(null);

  useEffect(() => {
    const off = onSignedOut((reason) => {
      setMe(null);
      setReason(reason);
    });
    const key = storedKey();
    if (key) {
      request<Me>('GET', '/v1/me', { key })
        .then(setMe, () => {
          storeKey(null);
          setReason('expired');
        })
        .finally(() => setChecking(false));
    }
    return () => void off();
  }, []);

  const signIn = useCallback(async (key: string) => {
    try {
      const who = await request<Me>('GET', '/v1/me', { key });
      storeKey(key);
      setReason(null);
      setMe(who);
      return true;
    } catch {
      return false;
    }
  }, []);

  const signOut = useCallback(() => {
    storeKey(null);
    setReason(null);
    setMe(null);
  }, []);

  return (
    <Ctx.Provider value={{ me, checking, signedOutReason, signIn, signOut, can: (c) => can(me?.role, c) }}>{children}</Ctx.Provider>
  );
}

export function useSession(): SessionValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
