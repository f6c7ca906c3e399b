import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compactGeometry, isInert, renderSvg } from '../../src/report/render.js';

describe('renderSvg', () => {
  test('a Vega-Lite spec becomes a static SVG with its data labels escaped', async () => {
    const svg = await renderSvg({
      data: {
        values: [
          { job: '<i>a</i> & b', n: 1 },
          { job: 'c', n: 2.123456789 },
        ],
      },
      mark: 'bar',
      encoding: { x: { field: 'job', type: 'nominal' }, y: { field: 'n', type: 'quantitative' } },
    });
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.includes('&lt;i&gt;a&lt;/i&gt; &amp; b'));
    assert.ok(!svg.includes('<i>'));
  });

  test('a chart that would link to anything is refused', async () => {
    await assert.rejects(
      renderSvg({
        data: { values: [{ x: 1, y: 1 }] },
        mark: { type: 'image', width: 10, height: 10 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          url: { value: 'https://example.com/a.png' },
        },
      }),
      /active or linked content/,
    );
  });

  test('geometry is rounded to hundredths, text keeps its digits', () => {
    const svg = '<path transform="translate(1.23456,7.891011)" d="M2.73912,0L3,4.5"/><text x="1.23456">3.14159</text>';
    assert.equal(
      compactGeometry(svg),
      '<path transform="translate(1.23,7.89)" d="M2.73,0L3,4.5"/><text x="1.23">3.14159</text>',
    );
  });
});

describe('isInert', () => {
  test('text may say anything; attributes may not link or run', () => {
    assert.equal(
      isInert(
        '<svg xmlns="http://www.w3.org/2000/svg"><text>see https://x.y and href="a"</text><g clip-path="url(#clip1)"/></svg>',
      ),
      true,
    );
    assert.equal(isInert('<svg><a xlink:href="https://x.y"/></svg>'), false);
    assert.equal(isInert('<svg><g onload="alert(1)"/></svg>'), false);
    assert.equal(isInert('<svg><g style="x" fill="javascript:alert(1)"/></svg>'), false);
    assert.equal(isInert('<svg><script>1</script></svg>'), false);
  });
});
