-- search.lua: wrk script of bench/search.sh; cycles through the request targets of the
-- query mix (bench/search_queries.txt, or the file given after `--`), each connection
-- taking the next one. Lines are encoded as bench/search.sh encodes them: every byte
-- outside [A-Za-z0-9-._~/?=&%+*:,] becomes %XX ('+' stays a space).

local targets = {}
local next_one = 1

local function encode(line)
	return (line:gsub("[^%w%-%._~/%?=&%%%+%*:,]", function(c)
		return string.format("%%%02X", c:byte())
	end))
end

function init(args)
	local path = args[1] or "bench/search_queries.txt"
	local f = assert(io.open(path, "r"), "search.lua: cannot open " .. path)
	for line in f:lines() do
		line = line:gsub("\r$", "")
		if line:sub(1, 1) == "/" then
			targets[#targets + 1] = wrk.format("GET", encode(line))
		end
	end
	f:close()
	assert(#targets > 0, "search.lua: no request targets in " .. path)
end

function request()
	local r = targets[next_one]
	next_one = next_one % #targets + 1
	return r
end
