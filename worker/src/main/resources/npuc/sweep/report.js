// The sweep report: builds the headline table, the failure groups and one chart per model x target from
// the sweep's data in the page. Text from the sweep goes in as text, never as markup.
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('sweep-data').textContent);
  var PALETTE = ['#1f6fb4', '#e07b00', '#2a9d3a', '#8e44ad', '#c0392b', '#16a085'];
  var NOT_FIT_COLOUR = '#d62728';
  var FAILED_COLOUR = '#222222';
  var strategies = [];
  data.panels.forEach(function (panel) {
    panel.curves.forEach(function (curve) {
      if (strategies.indexOf(curve.strategy) < 0) {
        strategies.push(curve.strategy);
      }
    });
  });

  function colour(strategy) {
    return PALETTE[strategies.indexOf(strategy) % PALETTE.length];
  }

  function fixed(value, digits) {
    return value === null || value === undefined ? '' : Number(value).toFixed(digits);
  }

  function size(kib) {
    if (kib === null || kib === undefined) {
      return '';
    }
    if (kib >= 1024 && kib % 1024 === 0) {
      return kib / 1024 + ' MiB';
    }
    return (kib % 1 === 0 ? String(kib) : kib.toFixed(2)) + ' KiB';
  }

  function element(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  // Totals under the title.
  (function totals() {
    var t = data.totals;
    document.getElementById('totals').textContent = t.points + ' points: ' + t.OK + ' OK, ' + t.DOES_NOT_FIT +
      ' do not fit, ' + t.FAILED + ' failed, ' + t.ERROR + ' internal errors. npuc ' + data.npuc_version + '.';
  }());

  // The headline table: one row per curve, sortable by any column.
  var COLUMNS = [
    {name: 'model', text: true, value: function (p) { return p.model; }},
    {name: 'target', text: true, value: function (p) { return p.target; }},
    {name: 'strategy', text: true, value: function (p, c) { return c.strategy; }},
    {name: 'points', value: function (p, c) { return c.points.length; }},
    {name: 'OK', value: function (p, c) { return c.ok; }},
    {name: 'do not fit', value: function (p, c) { return c.does_not_fit; }},
    {name: 'failed', value: function (p, c) { return c.failed; }},
    {name: 'smallest fit (KiB)', value: function (p, c) { return c.smallest_fit_kib; }},
    {name: 'knee (KiB)', value: function (p, c) { return c.knee_kib; }},
    {name: 'time at knee (ms)', value: function (p, c) { return c.knee_time_ms; }, digits: 3},
    {name: 'best time (ms)', value: function (p, c) { return c.best_time_ms; }, digits: 3},
    {name: 'SRAM at knee (KiB)', value: function (p, c) { return c.knee_sram_kib; }, digits: 2},
    {name: 'NPU ops', value: function (p, c) { return operators(c, 'npu_ops'); }},
    {name: 'CPU ops', value: function (p, c) { return operators(c, 'cpu_ops'); }}
  ];

  function operators(curve, field) {
    for (var i = 0; i < curve.points.length; i++) {
      if (curve.points[i][field] !== null) {
        return curve.points[i][field];
      }
    }
    return null;
  }

  (function headline() {
    var table = document.getElementById('headline-table');
    var head = document.createElement('tr');
    COLUMNS.forEach(function (column, index) {
      var th = element('th', column.name, column.text ? 'text' : '');
      th.addEventListener('click', function () { sortBy(table, index, th); });
      head.appendChild(th);
    });
    table.tHead.appendChild(head);
    var body = table.tBodies[0];
    data.panels.forEach(function (panel) {
      panel.curves.forEach(function (curve) {
        var tr = document.createElement('tr');
        COLUMNS.forEach(function (column, index) {
          var value = column.value(panel, curve);
          var td = element('td', null, column.text ? 'text' : '');
          td.dataset.value = value === null || value === undefined ? '' : String(value);
          if (index === 0) {
            var link = element('a', value);
            link.href = '#' + panel.id;
            td.appendChild(link);
          } else if (column.text) {
            td.textContent = value;
          } else {
            td.textContent = column.digits ? fixed(value, column.digits) : (value === null ? '' : String(value));
          }
          if (column.name === 'failed' && value > 0) {
            td.className = 'status-bad';
          }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
    });
  }());

  function sortBy(table, index, th) {
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var text = COLUMNS[index].text;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].dataset.value;
      var y = b.cells[index].dataset.value;
      // Empty cells go last whichever way the column is sorted.
      if (x === '' || y === '') {
        return x === y ? 0 : (x === '' ? 1 : -1);
      }
      var order = text ? x.localeCompare(y) : Number(x) - Number(y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
  }

  // Failures, one box per signature with the points it hit.
  (function failures() {
    var list = document.getElementById('failure-list');
    if (data.failures.length === 0) {
      list.appendChild(element('p', 'No point failed: every point compiled or cleanly did not fit.', 'status-ok'));
      return;
    }
    data.failures.forEach(function (group) {
      var box = element('div', null, 'failure');
      var title = element('div');
      title.appendChild(element('strong', group.status + ' × ' + group.points.length + ' '));
      title.appendChild(element('code', group.signature || '(no signature)'));
      box.appendChild(title);
      box.appendChild(element('div', group.error));
      var details = document.createElement('details');
      details.appendChild(element('summary', group.points.length + ' points'));
      var ul = document.createElement('ul');
      group.points.forEach(function (point) { ul.appendChild(element('li', point)); });
      details.appendChild(ul);
      box.appendChild(details);
      list.appendChild(box);
    });
  }());

  // One chart per model x target; curves per strategy.
  function chartOption(panel) {
    var series = [];
    var sizes = [];
    panel.curves.forEach(function (curve) {
      var c = colour(curve.strategy);
      var compiled = curve.points.filter(function (p) { return p.status === 'OK' && p.time_ms !== null; });
      curve.points.forEach(function (p) {
        if (sizes.indexOf(p.arena_kib) < 0) {
          sizes.push(p.arena_kib);
        }
      });
      var marks = [];
      var fits = curve.smallest_fit_kib;
      var knee = curve.knee_kib;
      if (fits !== null && fits === knee) {
        marks.push({xAxis: fits, lineStyle: {type: 'solid', color: c, width: 1},
          label: {formatter: 'fits from, and knee at, ' + size(fits), position: 'insideEndTop', color: c}});
      } else {
        if (fits !== null) {
          marks.push({xAxis: fits, lineStyle: {type: 'dotted', color: c},
            label: {formatter: 'fits from ' + size(fits), position: 'insideStartTop', color: c}});
        }
        if (knee !== null) {
          marks.push({xAxis: knee, lineStyle: {type: 'solid', color: c, width: 1},
            label: {formatter: 'knee ' + size(knee), position: 'insideEndTop', color: c}});
        }
      }
      // Below the smallest size that fits, a shaded band: the sizes this strategy cannot use.
      var band = [];
      var tried = curve.points.map(function (p) { return p.arena_kib; });
      var smallest = Math.min.apply(null, tried);
      if (curve.does_not_fit > 0) {
        band.push([{xAxis: smallest / 1.25, itemStyle: {color: 'rgba(214, 39, 40, 0.07)'}},
          {xAxis: fits === null ? Math.max.apply(null, tried) * 1.25 : fits}]);
      }
      series.push({
        name: 'time · ' + curve.strategy, type: 'line', yAxisIndex: 0, color: c, symbolSize: 7,
        data: compiled.map(function (p) { return {value: [p.arena_kib, p.time_ms], point: p}; }),
        markLine: {symbol: 'none', silent: true, animation: false, data: marks},
        markArea: {silent: true, data: band}
      });
      series.push({
        name: 'SRAM · ' + curve.strategy, type: 'line', yAxisIndex: 1, color: c, symbol: 'rect', symbolSize: 6,
        lineStyle: {type: 'dashed'},
        data: compiled.filter(function (p) { return p.sram_kib !== null; })
          .map(function (p) { return {value: [p.arena_kib, p.sram_kib], point: p}; })
      });
      var notFit = curve.points.filter(function (p) { return p.status === 'DOES_NOT_FIT'; });
      if (notFit.length > 0) {
        series.push({
          name: 'does not fit · ' + curve.strategy, type: 'scatter', yAxisIndex: 0, symbol: 'triangle',
          symbolSize: 11, itemStyle: {color: NOT_FIT_COLOUR, borderColor: c, borderWidth: 1.5},
          data: notFit.map(function (p) { return {value: [p.arena_kib, 0], point: p}; })
        });
      }
      var failed = curve.points.filter(function (p) { return p.status === 'FAILED' || p.status === 'ERROR'; });
      if (failed.length > 0) {
        series.push({
          name: 'failed · ' + curve.strategy, type: 'scatter', yAxisIndex: 0,
          symbol: 'path://M0,0L10,10M10,0L0,10', symbolSize: 10,
          itemStyle: {color: FAILED_COLOUR, borderColor: FAILED_COLOUR, borderWidth: 2},
          data: failed.map(function (p) { return {value: [p.arena_kib, 0], point: p}; })
        });
      }
    });
    sizes.sort(function (a, b) { return a - b; });
    series.push({
      name: 'arena size', type: 'line', yAxisIndex: 1, symbol: 'none', silent: true, color: '#999',
      lineStyle: {type: 'dotted', width: 1},
      data: sizes.map(function (s) { return [s, s]; })
    });
    var selected = {'arena size': false};
    return {
      animation: false,
      color: PALETTE,
      grid: {left: 56, right: 64, top: 58, bottom: 44},
      legend: {top: 0, type: 'scroll', selected: selected, textStyle: {fontSize: 11}},
      tooltip: {trigger: 'item', formatter: tooltip},
      xAxis: {
        type: 'log', logBase: 2, name: 'arena cache size (KiB)', nameLocation: 'middle', nameGap: 26,
        min: sizes.length ? sizes[0] / 1.25 : 1, max: sizes.length ? sizes[sizes.length - 1] * 1.25 : 2,
        axisLabel: {showMinLabel: false, showMaxLabel: false,
          formatter: function (v) { return String(Math.round(v)); }}
      },
      yAxis: [
        {type: 'value', name: 'inference time (ms)', min: 0, nameTextStyle: {align: 'left'}},
        {type: 'value', name: 'SRAM used (KiB)', min: 0, splitLine: {show: false}, nameTextStyle: {align: 'right'}}
      ],
      series: series
    };
  }

  function tooltip(item) {
    var p = item.data && item.data.point;
    if (!p) {
      return item.seriesName;
    }
    var lines = [item.seriesName, 'arena ' + size(p.arena_kib), 'status ' + p.status];
    if (p.time_ms !== null) {
      lines.push('inference ' + fixed(p.time_ms, 3) + ' ms', 'SRAM used ' + fixed(p.sram_kib, 2) + ' KiB',
        'cycles ' + fixed(p.cycles, 0));
    }
    if (p.error) {
      lines.push(p.error);
    }
    return lines.map(function (line) { return echarts.format.encodeHTML(line); }).join('<br>');
  }

  function figures(curve) {
    var parts = [curve.strategy + ':'];
    if (curve.smallest_fit_kib === null) {
      parts.push('fits at no size tried');
    } else {
      parts.push('fits from ' + size(curve.smallest_fit_kib) + ', knee ' + size(curve.knee_kib) + ' (' +
        fixed(curve.knee_time_ms, 3) + ' ms), best ' + fixed(curve.best_time_ms, 3) + ' ms');
    }
    if (curve.does_not_fit > 0) {
      parts.push('· ' + curve.does_not_fit + ' sizes do not fit');
    }
    if (curve.failed > 0) {
      parts.push('· ' + curve.failed + ' failed');
    }
    return parts.join(' ');
  }

  var charts = {};
  var observer = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        render(entry.target);
      }
    });
  }, {rootMargin: '400px'}) : null;

  function render(div) {
    if (charts[div.id]) {
      return charts[div.id];
    }
    var panel = byId[div.id];
    var chart = echarts.init(div, null, {renderer: 'canvas'});
    chart.setOption(chartOption(panel));
    charts[div.id] = chart;
    div.dataset.rendered = 'true';
    if (observer) {
      observer.unobserve(div);
    }
    return chart;
  }

  var byId = {};
  (function panels() {
    var container = document.getElementById('panels');
    data.panels.forEach(function (panel) {
      var box = element('div', null, 'panel');
      box.id = panel.id;
      box.appendChild(element('h3', panel.model));
      box.appendChild(element('p', panel.target, 'target'));
      panel.curves.forEach(function (curve) { box.appendChild(element('p', figures(curve), 'figures')); });
      var div = element('div', null, 'chart');
      div.id = 'chart-' + panel.id;
      byId[div.id] = panel;
      box.appendChild(div);
      container.appendChild(box);
      if (observer) {
        observer.observe(div);
      } else {
        render(div);
      }
    });
  }());

  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  });

  // Charts are drawn as they scroll into view; renderAll draws every one (for printing, or to inspect).
  window.npucReport = {
    data: data,
    chart: function (panelId) { return render(document.getElementById('chart-' + panelId)); },
    renderAll: function () { data.panels.forEach(function (p) { render(document.getElementById('chart-' + p.id)); }); }
  };
}());
