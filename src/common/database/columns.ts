import { Column, ColumnOptions, CreateDateColumn, UpdateDateColumn, ValueTransformer } from 'typeorm';

/** `bigint` columns come back from pg as strings; money lives in code as `bigint`. */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | null) => (value === null || value === undefined ? value : BigInt(value)),
};

/** A money amount in minor units. */
export function MinorColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'bigint', transformer: bigintTransformer, ...options });
}

/** An ISO 4217 code. */
export function CurrencyColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'char', length: 3, ...options });
}

export function CreatedAt(): PropertyDecorator {
  return CreateDateColumn({ name: 'created_at', type: 'timestamptz' });
}

export function UpdatedAt(): PropertyDecorator {
  return UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' });
}
