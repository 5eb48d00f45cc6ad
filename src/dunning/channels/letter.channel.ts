import { Inject, Injectable } from '@nestjs/common';
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import PDFDocument from 'pdfkit';
import { APP_CONFIG } from '../../common/config/config.module';
import type { AppConfig } from '../../common/config/app-config';

export interface Letter {
  tenantId: string;
  messageId: string;
  sender: string;
  recipientName: string;
  date: string;
  subject: string;
  body: string;
}

/** Letters (formal notices) rendered to PDF under DATA_DIR/letters, for download and printing. */
@Injectable()
export class LetterChannel {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Writes the PDF; returns its path relative to DATA_DIR. */
  async render(letter: Letter): Promise<string> {
    const rel = path.join('letters', letter.tenantId, `${letter.messageId}.pdf`);
    const file = this.absolute(rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: letter.subject, Author: letter.sender } });
    const done = new Promise<void>((resolve, reject) => {
      const out = createWriteStream(file);
      out.on('finish', () => resolve());
      out.on('error', reject);
      doc.pipe(out);
    });
    doc.fontSize(10).text(letter.sender).moveDown(2);
    doc.text(letter.recipientName, { align: 'right' }).moveDown(2);
    doc.text(letter.date, { align: 'right' }).moveDown(2);
    doc.fontSize(13).text(letter.subject, { underline: true }).moveDown();
    doc.fontSize(10).text(letter.body, { align: 'left' });
    doc.end();
    await done;
    return rel;
  }

  absolute(rel: string): string {
    return path.resolve(this.config.dataDir, rel);
  }
}
