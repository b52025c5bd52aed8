/* search.js: with JavaScript, search criteria apply without a full reload. Without it,
 * every link and the form work as plain pages. */
(function () {
	"use strict";
	if (!window.fetch || !window.history || !window.DOMParser) return;
	var busy = null;

	function swap(doc) {
		["main", ".langs"].forEach(function (sel) {
			var now = document.querySelector(sel), next = doc.querySelector(sel);
			if (now && next) now.replaceWith(next);
		});
		document.title = doc.title;
		bind();
	}

	function load(url, push) {
		if (busy) busy.abort();
		busy = new AbortController();
		document.body.setAttribute("aria-busy", "true");
		fetch(url, {signal: busy.signal, headers: {"Accept": "text/html"}})
			.then(function (r) {
				if (!r.ok && r.status !== 404) throw new Error(r.status);
				return r.text();
			})
			.then(function (html) {
				swap(new DOMParser().parseFromString(html, "text/html"));
				if (push) history.pushState({}, "", url);
				document.body.removeAttribute("aria-busy");
				var h = document.getElementById("results-title");
				if (h) { h.setAttribute("tabindex", "-1"); h.focus(); }
			})
			.catch(function (e) {
				if (e.name !== "AbortError") location.href = url;
			});
	}

	function bind() {
		var links = document.querySelectorAll(".facets a, .pager a, .drop a, .none a");
		Array.prototype.forEach.call(links, function (a) {
			a.addEventListener("click", function (e) {
				if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
				e.preventDefault();
				load(a.href, true);
			});
		});
		var form = document.querySelector("main form.search");
		if (form) {
			form.addEventListener("submit", function (e) {
				e.preventDefault();
				var params = new URLSearchParams(new FormData(form));
				load(form.action + "?" + params.toString(), true);
			});
			var sort = form.querySelector("select");
			if (sort) sort.addEventListener("change", function () { form.requestSubmit(); });
		}
	}

	window.addEventListener("popstate", function () { load(location.href, false); });
	bind();
})();
