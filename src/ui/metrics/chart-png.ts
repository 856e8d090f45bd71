// Saves a recharts chart as a PNG without a new dependency: the chart's SVG
// is serialised, its CSS variables (var(--mp) …) are replaced by the colours
// they have now (an SVG drawn as an image sees no page stylesheet), drawn on
// a canvas at 2× for projectors and print, and downloaded.
import { downloadBlob } from '../download';

/** Replaces every var(--name) in the SVG text with its computed value on the page root. */
export function resolveCssVars(svgText: string, lookup: (name: string) => string): string {
  return svgText.replace(/var\((--[\w-]+)\)/g, (whole, name: string) => lookup(name) || whole);
}

export async function saveChartPng(
  svg: SVGSVGElement,
  fileName: string,
  title: string,
): Promise<void> {
  const rootStyle = getComputedStyle(document.documentElement);
  const width = svg.clientWidth || svg.viewBox.baseVal.width;
  const height = svg.clientHeight || svg.viewBox.baseVal.height;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const text = resolveCssVars(new XMLSerializer().serializeToString(clone), (n) =>
    rootStyle.getPropertyValue(n).trim(),
  );
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
      img.src = url;
    });
    const scale = 2;
    const titleHeight = 28;
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = (height + titleHeight) * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw on a canvas.');
    ctx.scale(scale, scale);
    ctx.fillStyle = rootStyle.getPropertyValue('--panel').trim() || '#ffffff';
    ctx.fillRect(0, 0, width, height + titleHeight);
    ctx.fillStyle = rootStyle.getPropertyValue('--text').trim() || '#000000';
    ctx.font = `600 14px ${getComputedStyle(document.body).fontFamily}`;
    ctx.fillText(title, 8, 19);
    ctx.drawImage(img, 0, titleHeight, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('The chart image could not be encoded as PNG.');
    downloadBlob(blob, fileName);
  } finally {
    URL.revokeObjectURL(url);
  }
}
