/** Response types of `client.account` (contract resources §8, §21.7). */

export interface Account {
  id: string;
  /** The tenant slug (also what data-plane tenant discovery reads). */
  slug: string;
  name: string;
  region: string;
  subscription_plan: string;
  subscription_status: string;
  trial_start_at: string | null;
  trial_end_at: string | null;
  subscription_current_period_start: string | null;
  subscription_current_period_end: string | null;
  subscription_cancel_at: string | null;
  created_at: string;
}

export interface UsageCounter {
  used: number;
  limit: number | null;
}

export interface AccountUsage {
  billing_period: { year: number; month: number; start: string | null; end: string | null };
  api_calls: { used: number; limit: number | null; percentage: number };
  resources: {
    routes: UsageCounter;
    secrets: UsageCounter;
    clients: UsageCounter;
    /** `limit` is always null. */
    environments: UsageCounter;
  };
  plan: string;
  status: string;
}
