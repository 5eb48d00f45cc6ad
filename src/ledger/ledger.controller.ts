import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { CustomerQuery, InvoiceQuery, PaymentQuery } from './ledger-read.dto';
import { LedgerReadService } from './ledger-read.service';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('v1')
export class LedgerController {
  constructor(private readonly ledger: LedgerReadService) {}

  @Get('customers')
  customers(@Auth() auth: AuthContext, @Query() q: CustomerQuery) {
    return this.ledger.customers(auth.tenantId, q);
  }

  @Get('customers/:id')
  customer(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.ledger.customer(auth.tenantId, id);
  }

  /** Invoices and credit notes, each with its outstanding amount (total − allocations). */
  @Get('invoices')
  invoices(@Auth() auth: AuthContext, @Query() q: InvoiceQuery) {
    return this.ledger.invoices(auth.tenantId, q);
  }

  @Get('payments')
  payments(@Auth() auth: AuthContext, @Query() q: PaymentQuery) {
    return this.ledger.payments(auth.tenantId, q);
  }
}
