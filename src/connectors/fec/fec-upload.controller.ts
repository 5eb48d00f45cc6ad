import { Controller, HttpCode, Param, ParseUUIDPipe, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { Auth, type AuthContext, RequireRole } from '../../common/auth/auth-context';
import type { AppConfig } from '../../common/config/app-config';
import { ValidationError } from '../../common/errors';
import { toJsonMinor } from '../../common/money';
import { FecImportService } from './fec-import.service';

/** Where uploads are streamed before the import: `<DATA_DIR>/uploads/fec`. */
export function fecUploadDir(config: AppConfig): string {
  return path.resolve(config.dataDir, 'uploads', 'fec');
}

@ApiTags('connections')
@ApiBearerAuth()
@Controller('v1/connections')
export class FecUploadController {
  constructor(private readonly imports: FecImportService) {}

  /**
   * Streams a FEC file (multipart field `file`) to disk under DATA_DIR, then imports it into
   * the fec connection as one snapshot. A rejected file answers 422 with every problem.
   */
  @Post(':id/fec-files')
  @RequireRole('operator')
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  // Streamed to disk under DATA_DIR by multer (MulterModule options in FecModule), never held in memory.
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 4 * 1024 * 1024 * 1024, files: 1 } }))
  async upload(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @UploadedFile() file: { path: string; originalname: string } | undefined) {
    if (!file) throw new ValidationError([{ field: 'file', message: 'a multipart field "file" with the FEC file is required' }]);
    try {
      const r = await this.imports.importFile(auth.tenantId, id, file.path, { displayName: path.basename(file.originalname || 'upload.txt'), trigger: 'upload' });
      return {
        runId: r.runId,
        connectionId: r.connectionId,
        file: r.file,
        unchanged: r.unchanged,
        format: r.format,
        encoding: r.encoding,
        stats: r.stats && {
          ...r.stats,
          totalDebitMinor: toJsonMinor(r.stats.totalDebitMinor),
          totalCreditMinor: toJsonMinor(r.stats.totalCreditMinor),
        },
        counts: r.counts,
        warnings: r.warnings.slice(0, 100),
        warningsTotal: r.warnings.length,
        durationMs: r.durationMs,
      };
    } finally {
      await unlink(file.path).catch(() => undefined);
    }
  }
}
